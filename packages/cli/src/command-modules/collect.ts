// `itinera collect`: world-model (tfjs) and physics load only when it runs.
import { ItineraError } from '@itinera/core';
import { BACKEND_CHOICES, commandModule, integerOption, MAX_SEED, machineThreads, threadsOption } from './options.js';

export const collectModule = commandModule({
  command: 'collect',
  describe: 'collect experience into a dataset directory (appends when it exists): coloured-noise torques, steered by --curiosity, or a --planner reaching random goals',
  builder: (y) =>
    y
      .option('sim', { type: 'string', default: 'reach', describe: 'scenario' })
      .option('robot', { type: 'string', describe: "robot name or description file (default: the scenario's robot)" })
      .option('end-effector', { type: 'string', describe: 'link whose origin reach-type tasks move to the target' })
      .option('sim-opt', { type: 'string', array: true, default: [], describe: 'scenario option key=value (repeatable)' })
      .option('steps', { ...integerOption('--steps', { min: 1, describe: 'transitions to add (with --level 1: waypoints followed)' }), demandOption: true })
      .option('seed', integerOption('--seed', { default: 0, min: 0, max: MAX_SEED, describe: 'seed of the first episode' }))
      .option('level', { type: 'number', default: 0, choices: [0, 1], describe: '0: torques and their effect; 1: the level-0 controller following waypoints (for a level-1 model)' })
      .option('planner', { type: 'string', describe: "level 0: a planner or preset that drives toward each episode's goal (MPC data) instead of pure noise; with --level 1: the level-0 controller (default rover-mppi)" })
      .option('opt', { type: 'string', array: true, default: [], describe: 'with --planner: planner option key=value (repeatable)' })
      .option('model', { type: 'string', describe: 'with --planner: what it rolls out on, sim (default) or a trained model directory' })
      .option('action-noise', { type: 'number', describe: "with --planner: per-episode coloured noise added to its actions, up to this share of each actuator's half range (default 0.3)" })
      .option('episode-steps', integerOption('--episode-steps', { min: 1, describe: "cap on an episode's length (default: the scenario's time limit)" }))
      .option('curiosity', { type: 'string', describe: 'a trained ensemble model directory: follow the noise its members disagree on most' })
      .option('backend', { type: 'string', choices: [...BACKEND_CHOICES], default: 'auto', describe: 'TensorFlow.js backend of a learned model (--curiosity, --model)' })
      .option('threads', threadsOption(`with --planner or --level 1: threads that roll out each plan's samples on the simulator copy (the same data on any number; default: the machine's cores, ${machineThreads} here)`))
      .option('out', { type: 'string', demandOption: true, describe: 'dataset directory (manifest.json + Float32 chunks)' })
      .check((a) => {
        if (a.curiosity && (a.level === 1 || a.planner)) throw new ItineraError('--curiosity steers the noise explorer; it goes without --planner and --level 1');
        if (a.level === 0 && a.planner && a.episodeSteps != null) throw new ItineraError('--episode-steps caps noise episodes; with --planner, episodes run to the goal or the time limit (--sim-opt maxSteps=N)');
        if (!a.planner && (a.model || a.actionNoise != null || a.opt.length > 0)) throw new ItineraError('--model, --opt and --action-noise go with --planner');
        if (a.threads !== undefined && a.level === 0 && !a.planner) throw new ItineraError('--threads spreads a planner\'s rollouts: it goes with --planner or --level 1');
        if (a.actionNoise != null && !((a.actionNoise as number) >= 0 && (a.actionNoise as number) <= 1)) throw new ItineraError(`--action-noise must be in [0, 1] (got ${a.actionNoise})`);
        return true;
      }),
  handler: async (a) => {
    if (a.level === 1) {
      const { collectLevel1Command } = await import('../commands/collect-level1.js');
      const done = await collectLevel1Command({ sim: a.sim, robot: a.robot, simOpt: a.simOpt.map(String), segments: a.steps, seed: a.seed, out: a.out, planner: a.planner ?? 'rover-mppi', threads: a.threads ?? machineThreads }, (n) => process.stderr.write(`\rcollect level 1: ${n}/${a.steps} waypoints`));
      process.stdout.write(`\n${a.out}: ${done.segments} waypoints followed, ${done.samples} level-1 samples\n`);
      return;
    }
    const { collectCommand, formatCollectSummary } = await import('../commands/collect.js');
    const manifest = await collectCommand({ sim: a.sim, robot: a.robot, endEffector: a.endEffector, simOpt: a.simOpt.map(String), steps: a.steps, seed: a.seed, out: a.out, episodeSteps: a.episodeSteps, curiosity: a.curiosity, planner: a.planner, opt: a.opt.map(String), model: a.model, actionNoise: a.actionNoise, backend: a.backend as (typeof BACKEND_CHOICES)[number], threads: a.threads ?? machineThreads });
    process.stdout.write(formatCollectSummary(manifest, a.out) + '\n');
  },
});
