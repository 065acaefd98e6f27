// `itinera run`: its heavy dependencies (physics, planners, world models) load only when it runs.
import { ItineraError, MAX_PLANNING_PHYSICS_DT } from '@itinera/core';
import { BACKEND_CHOICES, commandModule, integerOption, MAX_SEED, machineThreads, robotLoadOptions, threadsOption, withRobotLoadOptions } from './options.js';

export const runModule = commandModule({
  command: 'run',
  describe: 'run simulated task episodes',
  builder: (y) =>
    withRobotLoadOptions(y)
      .option('sim', { type: 'string', default: 'commute', describe: 'scenario (a bare name resolves to its newest version)' })
      .option('robot', { type: 'string', describe: "built-in name, URDF/MJCF/YAML file (.urdf, .xml, .yaml) or robot module (.js/.mjs/.ts); default: the scenario's robot" })
      .option('end-effector', { type: 'string', describe: 'link whose origin reach-type tasks move to the target' })
      .option('planner', { type: 'string', describe: "planner or preset name, or a preset file (see `itinera list planners`); default: the scenario's planner" })
      .option('opt', { type: 'string', array: true, default: [], describe: 'planner option key=value (repeatable; see `itinera describe planner NAME`)' })
      .option('sim-opt', { type: 'string', array: true, default: [], describe: 'scenario option key=value (repeatable; see `itinera describe sim NAME`)' })
      .option('episodes', integerOption('--episodes', { default: 1, min: 1, describe: 'episodes to run' }))
      .option('seed', integerOption('--seed', { default: 0, min: 0, max: MAX_SEED, describe: 'seed of the first episode; episode i uses seed + i' }))
      .option('model-physics-dt', { type: 'number', describe: "physics step of the planner's simulator copy, ≤ 1/50 s (default: the live world's)" })
      .option('replan-every', integerOption('--replan-every', { min: 1, describe: "plan every N control steps (default 1, or the preset's)" }))
      .option('model', { type: 'string', describe: "what planners roll out on: a trained world-model directory (itinera train --out), or sim for the simulator alone at every level (default: the simulator plus the preset's learned level-1 model, if any)" })
      .option('backend', { type: 'string', default: 'auto', choices: [...BACKEND_CHOICES], describe: 'TensorFlow.js backend of a learned model' })
      .option('rollouts', { type: 'string', default: 'tfjs', choices: ['tfjs', 'onnx'], describe: "what a learned model's sampled rollouts run on: tfjs (the --backend), or onnx (onnxruntime-node, ~3× faster MPPI on one thread, ~4× on two; inference only, not for the gradient planner)" })
      .option('onnx-threads', integerOption('--onnx-threads', { default: 1, min: 1, describe: "onnxruntime's intra-op threads per session with --rollouts onnx (--threads splits each plan's samples over sessions on threads of their own)" }))
      .option('threads', threadsOption(`threads that roll out each plan's samples on the simulator copy or with --rollouts onnx (worker threads with their own copies or sessions; the same bits on any number, for onnx as measured in our tests); default: the machine's cores, ${machineThreads} here`))
      .option('realtime', { type: 'boolean', default: false, describe: 'advance at wall-clock pace, acting on the latest finished plan while the next is computed on --threads worker threads (as MuJoCo MPC does); NOT deterministic, unlike the default lockstep run; flat planners on the simulator copy, or on a learned --model with --rollouts onnx' })
      .option('adapt', { type: 'boolean', default: false, describe: "correct the learned --model online: its steps enter a replay buffer (mixed with the model's training data) and the model takes a few of training's own gradient steps between plans and after each episode; carries across the run's episodes" })
      .option('adapt-opt', { type: 'string', array: true, default: [], describe: 'adaptation option key=value (repeatable; see `itinera describe adapt`)' })
      .option('adapt-data', { type: 'string', array: true, describe: "dataset directories --adapt replays against forgetting (default: those the model's metrics.json names)" })
      .option('adapt-save', { type: 'string', describe: 'write the adapted model to this directory at the end of the run (loadable by --model)' })
      .option('record', { type: 'string', describe: 'write every event as JSON Lines to this file' })
      .option('view', { type: 'boolean', default: false, describe: 'also write the replay page beside the recording (FILE.html)' })
      .option('json', { type: 'boolean', default: false, describe: 'print one machine-readable summary on stdout' })
      .check((a) => {
        if (a.seed + a.episodes - 1 > MAX_SEED) throw new ItineraError(`--seed ${a.seed} with --episodes ${a.episodes} runs seeds past ${MAX_SEED}, the seeded generator's largest`);
        if (a.modelPhysicsDt != null && !((a.modelPhysicsDt as number) > 0 && (a.modelPhysicsDt as number) <= MAX_PLANNING_PHYSICS_DT)) throw new ItineraError(`--model-physics-dt must be in (0, ${MAX_PLANNING_PHYSICS_DT}] seconds (got ${a.modelPhysicsDt})`);
        if (a.view && !a.record) throw new ItineraError('--view needs --record FILE.jsonl: the replay is written beside the recording');
        if (a.rollouts === 'onnx' && (a.model === undefined || a.model === 'sim')) throw new ItineraError('--rollouts onnx runs a trained world model: pass --model DIR');
        if (!a.adapt && ((a.adaptOpt as unknown[]).length > 0 || a.adaptData || a.adaptSave)) throw new ItineraError('--adapt-opt, --adapt-data and --adapt-save go with --adapt');
        if (a.adapt && a.realtime) throw new ItineraError('--adapt learns between lockstep plans; it does not go with --realtime');
        return true;
      }),
  handler: async (a) => {
    const { formatRunSummary, runCommand } = await import('../commands/run.js');
    const summary = await runCommand({
      sim: a.sim,
      robot: a.robot,
      endEffector: a.endEffector,
      robotLoad: robotLoadOptions(a),
      planner: a.planner,
      opt: a.opt.map(String),
      simOpt: a.simOpt.map(String),
      episodes: a.episodes,
      seed: a.seed,
      record: a.record,
      view: a.view,
      json: a.json,
      modelPhysicsDt: a.modelPhysicsDt,
      replanEvery: a.replanEvery,
      model: a.model,
      backend: a.backend,
      rollouts: a.rollouts as 'tfjs' | 'onnx',
      onnxThreads: a.onnxThreads,
      threads: a.threads ?? machineThreads,
      realtime: a.realtime,
      adapt: a.adapt,
      adaptOpt: a.adaptOpt.map(String),
      adaptData: a.adaptData?.map(String),
      adaptSave: a.adaptSave,
    });
    process.stdout.write(a.json ? JSON.stringify(summary) + '\n' : formatRunSummary(summary) + '\n');
  },
});
