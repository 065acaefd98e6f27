// `itinera eval-model`: TensorFlow.js, physics and planners load only when it runs.
import { BACKEND_CHOICES, commandModule, integerOption, MAX_SEED } from './options.js';

export const evalModelModule = commandModule({
  command: 'eval-model',
  describe: "offline checks of a learned model, per level: k-step prediction error, and how it ranks the planner's own candidates against the simulator (Spearman) at states the planner visits",
  builder: (y) =>
    y
      .option('model', { type: 'string', demandOption: true, describe: 'a world-model directory from itinera train (level 0), or a level-1 model (its level1.json or the directory holding it)' })
      .option('data', { type: 'string', describe: "held-out dataset (itinera collect) for level 0's k-step error" })
      .option('sim', { type: 'string', describe: "scenario the planner runs in (default: the world model's, else commute)" })
      .option('planner', { type: 'string', describe: "planner or preset whose candidates are ranked (default: the scenario's, as for run)" })
      .option('opt', { type: 'string', array: true, default: [], describe: 'planner option key=value (repeatable)' })
      .option('sim-opt', { type: 'string', array: true, default: [], describe: 'scenario option key=value (repeatable)' })
      .option('states', integerOption('--states', { default: 8, min: 1, max: 1000, describe: 'states to probe per level' }))
      .option('candidates', integerOption('--candidates', { default: 32, min: 2, max: 4096, describe: "of the planner's candidates at a state, how many to cost on the reference (its nominal and a seeded sample)" }))
      .option('spacing', integerOption('--spacing', { default: 10, min: 1, describe: 'control steps at least between two probed states of a level' }))
      .option('top-k', integerOption('--top-k', { default: 3, min: 1, describe: 'k of the top-k agreement' }))
      .option('episodes', integerOption('--episodes', { default: 2, min: 1, max: 100, describe: 'episodes at most to find the states in (seeds seed, seed + 1, …)' }))
      .option('max-steps', integerOption('--max-steps', { min: 1, describe: "control steps per episode at most (default: the scenario's limit)" }))
      .option('seed', integerOption('--seed', { default: 0, min: 0, max: MAX_SEED - 100, describe: 'seed of the first episode and of the candidate samples' }))
      .option('level1-reference', { type: 'string', default: 'simulator', choices: ['simulator', 'stand-in'], describe: "what level-1 candidates are compared with: the simulator (the low-level planner follows each candidate's waypoints on a world copy) or the model's stand-in (e.g. kinematic; cheap, not the simulator)" })
      .option('backend', { type: 'string', default: 'auto', choices: [...BACKEND_CHOICES], describe: 'TensorFlow.js backend' })
      .option('out', { type: 'string', describe: 'JSON file to write (default: MODEL/eval.json for a world model; none for a level-1 model)' })
      .option('json', { type: 'boolean', default: false, describe: 'print the JSON instead of the table' }),
  handler: async (a) => {
    const { evalModelCommand, formatEvalModel } = await import('../commands/eval-model.js');
    const report = await evalModelCommand({
      model: a.model,
      data: a.data,
      backend: a.backend as (typeof BACKEND_CHOICES)[number],
      out: a.out,
      sim: a.sim,
      planner: a.planner,
      opt: a.opt.map(String),
      simOpt: a.simOpt.map(String),
      probe: { states: a.states, candidates: a.candidates, spacing: a.spacing, topK: a.topK, episodes: a.episodes, maxSteps: a.maxSteps, seed: a.seed },
      level1Reference: a.level1Reference as 'simulator' | 'stand-in',
      progress: (line) => process.stderr.write(`eval-model: ${line}\n`),
    });
    process.stdout.write((a.json ? JSON.stringify(report) : formatEvalModel(report)) + '\n');
  },
});
