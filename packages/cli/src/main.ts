import yargs from 'yargs';
import { isItineraError, ItineraError, MAX_PLANNING_PHYSICS_DT } from '@itinera/core';
import { formatEvaluation, type BackendRequest } from '@itinera/world-model';
import { benchCommand } from './commands/bench.js';
import { benchMergeCommand } from './commands/bench-merge.js';
import { benchQueueCommand } from './commands/bench-queue.js';
import { checkRobotCommand } from './commands/check-robot.js';
import { collectLevel1Command } from './commands/collect-level1.js';
import { collectCommand, formatCollectSummary } from './commands/collect.js';
import { listCommand, type ListKind } from './commands/list.js';
import { formatTrainSummary, trainCommand } from './commands/train.js';
import { configModel, formatLevel1Metrics, trainLevel1Command } from './commands/train-level1.js';
import { evalModelCommand } from './commands/eval-model.js';
import { formatRunSummary, runCommand } from './commands/run.js';
import { formatViewSummary, viewCommand } from './commands/view.js';
import { workerCommand } from './commands/worker.js';

/** TensorFlow.js backends a learned model can run on. */
const BACKEND_CHOICES = ['auto', 'node-gpu', 'node', 'wasm', 'cpu'] as const;

/** Runs the CLI and returns the exit code; user errors print one clear message, never a stack. */
export async function main(argv: string[]): Promise<number> {
  try {
    await yargs(argv)
      .scriptName('itinera')
      .command(
        'run',
        'run simulated task episodes',
        (y) =>
          y
            .option('sim', { type: 'string', default: 'commute', describe: 'scenario (a bare name resolves to its newest version)' })
            .option('robot', { type: 'string', describe: "built-in name, .urdf/.yaml file or robot module (.js/.mjs/.ts); default: the scenario's robot" })
            .option('end-effector', { type: 'string', describe: 'link whose origin reach-type tasks move to the target' })
            .option('planner', { type: 'string', default: 'rover-hierarchical', describe: 'planner or preset name, or a preset file (see `itinera list planners`)' })
            .option('opt', { type: 'string', array: true, default: [], describe: 'planner option key=value (repeatable)' })
            .option('sim-opt', { type: 'string', array: true, default: [], describe: 'scenario option key=value (repeatable)' })
            .option('episodes', { type: 'number', default: 1 })
            .option('seed', { type: 'number', default: 0, describe: 'seed of the first episode; episode i uses seed + i' })
            .option('model-physics-dt', { type: 'number', describe: "physics step of the planner's simulator copy, ≤ 1/50 s (default: the live world's)" })
            .option('replan-every', { type: 'number', describe: 'plan every N control steps (default 1, or the preset\'s)' })
            .option('model', { type: 'string', describe: "what planners roll out on: a trained world-model directory (itinera train --out), or sim for the simulator alone at every level (default: the simulator plus the preset's learned level-1 model, if any)" })
            .option('backend', { type: 'string', default: 'auto', choices: [...BACKEND_CHOICES], describe: 'TensorFlow.js backend of a learned model' })
            .option('rollouts', { type: 'string', default: 'tfjs', choices: ['tfjs', 'onnx'], describe: "what a learned model's sampled rollouts run on: tfjs (the --backend), or onnx (onnxruntime-node, about 2× faster MPPI; inference only, not for the gradient planner)" })
            .option('onnx-threads', { type: 'number', default: 1, describe: "onnxruntime's intra-op threads with --rollouts onnx" })
            .option('record', { type: 'string', describe: 'write every event as JSON Lines to this file' })
            .option('view', { type: 'boolean', default: false, describe: 'also write the replay page beside the recording (FILE.html)' })
            .option('json', { type: 'boolean', default: false, describe: 'print one machine-readable summary on stdout' })
            .check((a) => {
              if (!Number.isInteger(a.episodes) || a.episodes < 1) throw new ItineraError(`--episodes must be a positive integer (got ${a.episodes})`);
              if (a.replanEvery != null && (!Number.isInteger(a.replanEvery) || (a.replanEvery as number) < 1)) throw new ItineraError(`--replan-every must be a positive integer (got ${a.replanEvery})`);
              if (a.modelPhysicsDt != null && !((a.modelPhysicsDt as number) > 0 && (a.modelPhysicsDt as number) <= MAX_PLANNING_PHYSICS_DT)) throw new ItineraError(`--model-physics-dt must be in (0, ${MAX_PLANNING_PHYSICS_DT}] seconds (got ${a.modelPhysicsDt})`);
              if (!Number.isInteger(a.seed) || a.seed < 0) throw new ItineraError(`--seed must be a non-negative integer (got ${a.seed})`);
              if (a.view && !a.record) throw new ItineraError('--view needs --record FILE.jsonl: the replay is written beside the recording');
              if (!Number.isInteger(a.onnxThreads) || (a.onnxThreads as number) < 1) throw new ItineraError(`--onnx-threads must be a positive integer (got ${a.onnxThreads})`);
              if (a.rollouts === 'onnx' && (a.model === undefined || a.model === 'sim')) throw new ItineraError('--rollouts onnx runs a trained world model: pass --model DIR');
              return true;
            }),
        async (a) => {
          const summary = await runCommand({
            sim: a.sim,
            robot: a.robot,
            endEffector: a.endEffector,
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
          });
          process.stdout.write(a.json ? JSON.stringify(summary) + '\n' : formatRunSummary(summary) + '\n');
        },
      )
      .command(
        'bench',
        'run a benchmark suite (scenarios × robots × planners × seeds) and write results, summary and report',
        (y) =>
          y
            .command(
              'merge <dirs..>',
              'merge the --out directories of `bench --shard i/N` runs of one suite into one result',
              (m) =>
                m
                  .positional('dirs', { type: 'string', array: true, demandOption: true, describe: 'shard output directories' })
                  .option('out', { type: 'string', demandOption: true, describe: 'directory for the merged results.jsonl, summary.json and report.md' }),
              async (m) => {
                process.stdout.write(await benchMergeCommand({ dirs: (m.dirs ?? []).map(String), out: m.out }));
              },
            )
            .option('suite', { type: 'string', describe: 'suite file, e.g. configs/bench/planners.yaml (required)' })
            .option('out', { type: 'string', describe: 'directory for results.jsonl, summary.json and report.md (required)' })
            .option('resume', { type: 'boolean', default: false, describe: 'keep the results already in --out and run only the missing episodes' })
            .option('shard', { type: 'string', describe: 'i/N: run only slice i of N of the episodes (merge with `itinera bench merge`)' })
            .option('workers', { type: 'number', default: 1, describe: 'episodes run at once, each in its own worker thread' })
            .option('queue', { type: 'string', describe: 'redis://HOST:PORT: enqueue the episodes for `itinera worker`s instead of running them (BullMQ)' })
            .option('collect', { type: 'boolean', default: false, describe: 'with --queue: wait for the enqueued episodes and write their results to --out' }),
        async (a) => {
          if (a.collect && !a.queue) throw new ItineraError('--collect gathers episodes from a queue: add --queue redis://HOST:PORT');
          if (a.queue) {
            if (a.shard !== undefined || a.workers !== 1) throw new ItineraError('--queue does not combine with --shard or --workers: start more `itinera worker`s instead');
            if (!a.suite || (a.collect && !a.out)) throw new ItineraError(`bench --queue needs ${[!a.suite && '--suite FILE', a.collect && !a.out && '--out DIR'].filter(Boolean).join(' and ')}`);
            if (!a.collect && a.out) throw new ItineraError('--out goes with --collect: enqueueing writes nothing locally');
            process.stdout.write(await benchQueueCommand({ queue: a.queue, suite: a.suite, collect: a.collect, out: a.out, resume: a.resume }));
            return;
          }
          if (!a.suite || !a.out) throw new ItineraError(`bench needs ${[!a.suite && '--suite FILE', !a.out && '--out DIR'].filter(Boolean).join(' and ')}`);
          process.stdout.write(await benchCommand({ suite: a.suite, out: a.out, resume: a.resume, shard: a.shard, workers: a.workers }));
        },
      )
      .command(
        'worker',
        'run benchmark episodes enqueued with `itinera bench --queue` until stopped (SIGINT/SIGTERM finish the current episode)',
        (y) =>
          y
            .option('queue', { type: 'string', demandOption: true, describe: 'redis://HOST:PORT[/DB] of the queue' })
            .option('lock-duration', { type: 'number', default: 30, describe: "seconds without a heartbeat before a worker's episode is handed to another worker" }),
        async (a) => {
          process.stdout.write(await workerCommand({ queue: a.queue, lockDuration: a.lockDuration }));
        },
      )
      .command(
        'collect',
        'collect experience into a dataset directory (appends when it exists): coloured-noise torques, steered by --curiosity, or a --planner reaching random goals',
        (y) =>
          y
            .option('sim', { type: 'string', default: 'reach', describe: 'scenario' })
            .option('robot', { type: 'string', describe: "robot name or description file (default: the scenario's robot)" })
            .option('end-effector', { type: 'string', describe: 'link whose origin reach-type tasks move to the target' })
            .option('sim-opt', { type: 'string', array: true, default: [], describe: 'scenario option key=value (repeatable)' })
            .option('steps', { type: 'number', demandOption: true, describe: 'transitions to add (with --level 1: waypoints followed)' })
            .option('seed', { type: 'number', default: 0 })
            .option('level', { type: 'number', default: 0, choices: [0, 1], describe: '0: torques and their effect; 1: the level-0 controller following waypoints (for a level-1 model)' })
            .option('planner', { type: 'string', describe: 'level 0: a planner or preset that drives toward each episode\'s goal (MPC data) instead of pure noise; with --level 1: the level-0 controller (default rover-mppi)' })
            .option('opt', { type: 'string', array: true, default: [], describe: 'with --planner: planner option key=value (repeatable)' })
            .option('model', { type: 'string', describe: 'with --planner: what it rolls out on, sim (default) or a trained model directory' })
            .option('action-noise', { type: 'number', describe: "with --planner: per-episode coloured noise added to its actions, up to this share of each actuator's half range (default 0.3)" })
            .option('episode-steps', { type: 'number', describe: "cap on an episode's length (default: the scenario's time limit)" })
            .option('curiosity', { type: 'string', describe: 'a trained ensemble model directory: follow the noise its members disagree on most' })
            .option('backend', { type: 'string', choices: [...BACKEND_CHOICES], default: 'auto', describe: 'TensorFlow.js backend of a learned model (--curiosity, --model)' })
            .option('out', { type: 'string', demandOption: true, describe: 'dataset directory (manifest.json + Float32 chunks)' })
            .check((a) => {
              if (!Number.isInteger(a.steps) || a.steps < 1) throw new ItineraError(`--steps must be a positive integer (got ${a.steps})`);
              if (!Number.isInteger(a.seed) || a.seed < 0) throw new ItineraError(`--seed must be a non-negative integer (got ${a.seed})`);
              if (a.episodeSteps != null && (!Number.isInteger(a.episodeSteps) || (a.episodeSteps as number) < 1)) throw new ItineraError(`--episode-steps must be a positive integer (got ${a.episodeSteps})`);
              if (a.curiosity && (a.level === 1 || a.planner)) throw new ItineraError('--curiosity steers the noise explorer; it goes without --planner and --level 1');
              if (a.level === 0 && a.planner && a.episodeSteps != null) throw new ItineraError('--episode-steps caps noise episodes; with --planner, episodes run to the goal or the time limit (--sim-opt maxSteps=N)');
              if (!a.planner && (a.model || a.actionNoise != null || a.opt.length > 0)) throw new ItineraError('--model, --opt and --action-noise go with --planner');
              if (a.actionNoise != null && !((a.actionNoise as number) >= 0 && (a.actionNoise as number) <= 1)) throw new ItineraError(`--action-noise must be in [0, 1] (got ${a.actionNoise})`);
              return true;
            }),
        async (a) => {
          if (a.level === 1) {
            const done = await collectLevel1Command({ sim: a.sim, robot: a.robot, simOpt: a.simOpt.map(String), segments: a.steps, seed: a.seed, out: a.out, planner: a.planner ?? 'rover-mppi' }, (n) => process.stderr.write(`\rcollect level 1: ${n}/${a.steps} waypoints`));
            process.stdout.write(`\n${a.out}: ${done.segments} waypoints followed, ${done.samples} level-1 samples\n`);
            return;
          }
          const manifest = await collectCommand({ sim: a.sim, robot: a.robot, endEffector: a.endEffector, simOpt: a.simOpt.map(String), steps: a.steps, seed: a.seed, out: a.out, episodeSteps: a.episodeSteps, curiosity: a.curiosity, planner: a.planner, opt: a.opt.map(String), model: a.model, actionNoise: a.actionNoise, backend: a.backend as BackendRequest });
          process.stdout.write(formatCollectSummary(manifest, a.out) + '\n');
        },
      )
      .command(
        'train',
        'train a world model (configs/train/NAME.yaml) on a collected dataset; checkpoints, metrics.json, --resume',
        (y) =>
          y
            .option('data', { type: 'string', demandOption: true, describe: 'dataset directory from itinera collect' })
            .option('config', { type: 'string', demandOption: true, describe: 'training config, e.g. configs/train/reach-jepa.yaml' })
            .option('out', { type: 'string', demandOption: true, describe: 'model directory (model.json, weights.bin, metrics.json, checkpoint)' })
            .option('resume', { type: 'boolean', default: false, describe: 'continue the run in --out from its last checkpoint' })
            .option('backend', { type: 'string', default: 'auto', choices: [...BACKEND_CHOICES], describe: 'TensorFlow.js backend' })
            .option('steps', { type: 'number', describe: "override the config's training.steps" })
            .option('checkpoint-every', { type: 'number', describe: "override the config's training.checkpointEvery" })
            .option('readout-steps', { type: 'number', describe: "override the config's training.readoutSteps" })
            .check((a) => {
              for (const [flag, v] of [['--steps', a.steps], ['--checkpoint-every', a.checkpointEvery], ['--readout-steps', a.readoutSteps]] as const) {
                if (v != null && (!Number.isInteger(v) || (v as number) < 1)) throw new ItineraError(`${flag} must be a positive integer (got ${v})`);
              }
              return true;
            }),
        async (a) => {
          if (configModel(a.config) === 'level1') {
            // A level-1 model trains in seconds: no checkpoints, so --resume has nothing to continue.
            const level1 = await trainLevel1Command({ data: a.data, config: a.config, out: a.out, backend: a.backend as BackendRequest, steps: a.steps }, (step, total, loss) => {
              if (step === total || step % 500 === 0) process.stderr.write(`train level1: step ${step}/${total} · loss ${loss.toPrecision(3)}\n`);
            });
            process.stdout.write(formatLevel1Metrics(level1, a.out) + '\n');
            return;
          }
          const metrics = await trainCommand({ data: a.data, config: a.config, out: a.out, resume: a.resume, backend: a.backend as BackendRequest, steps: a.steps, checkpointEvery: a.checkpointEvery, readoutSteps: a.readoutSteps });
          process.stdout.write(formatTrainSummary(metrics, a.out) + '\n');
        },
      )
      .command(
        'eval-model',
        'k-step prediction error (k = 1, 5, 20) of a trained world model against baselines, and latent collapse diagnostics',
        (y) =>
          y
            .option('model', { type: 'string', demandOption: true, describe: 'model directory from itinera train' })
            .option('data', { type: 'string', demandOption: true, describe: 'dataset directory (held-out data from itinera collect)' })
            .option('backend', { type: 'string', default: 'auto', choices: [...BACKEND_CHOICES], describe: 'TensorFlow.js backend' })
            .option('out', { type: 'string', describe: 'JSON file to write (default: MODEL/eval.json)' })
            .option('json', { type: 'boolean', default: false, describe: 'print the JSON instead of the table' }),
        async (a) => {
          const evaluation = await evalModelCommand({ model: a.model, data: a.data, backend: a.backend as BackendRequest, out: a.out });
          process.stdout.write((a.json ? JSON.stringify(evaluation) : formatEvaluation(evaluation)) + '\n');
        },
      )
      .command(
        'view <episode>',
        'write a self-contained HTML replay (3D scene, timeline, cost plot) of a recorded episode file',
        (y) =>
          y
            .positional('episode', { type: 'string', demandOption: true, describe: 'a recording from itinera run --record FILE.jsonl' })
            .option('out', { type: 'string', describe: "the HTML file to write (default: the recording's name with .html)" }),
        async (a) => {
          process.stdout.write(formatViewSummary(await viewCommand({ episode: a.episode, out: a.out })) + '\n');
        },
      )
      .command(
        'list <kind>',
        'list built-in robots, sims or planners',
        (y) => y.positional('kind', { choices: ['robots', 'sims', 'planners'] as const, demandOption: true }),
        (a) => {
          process.stdout.write(listCommand(a.kind as ListKind) + '\n');
        },
      )
      .command(
        'check-robot <file>',
        'validate a robot description and print its summary',
        (y) =>
          y
            .positional('file', { type: 'string', demandOption: true, describe: 'a .urdf or .yaml file, a robot module, or a built-in name' })
            .option('simulate', { type: 'boolean', default: false, describe: 'also simulate it: stays finite and bounded, every actuator moves its joint' }),
        async (a) => {
          const { summary, problems } = await checkRobotCommand(a.file, { simulate: a.simulate });
          process.stdout.write(summary + '\n');
          if (problems.length > 0) throw new ItineraError(problems);
        },
      )
      .demandCommand(1, 'name a command: run, bench, worker, view, list, check-robot, collect, train, eval-model')
      .strict()
      .help()
      .version(false)
      .fail((message, error) => {
        // Usage errors stop the parse before any command runs.
        throw error ?? new ItineraError(message);
      })
      .parseAsync();
  } catch (error) {
    if (isItineraError(error)) {
      process.stderr.write(error.problems.map((p) => `itinera: ${p}`).join('\n') + '\n');
      return 1;
    }
    throw error;
  }
  return 0;
}
