import yargs from 'yargs';
import { isItineraError, ItineraError } from '@itinera/core';
import { benchCommand } from './commands/bench.js';
import { checkRobotCommand } from './commands/check-robot.js';
import { listCommand, type ListKind } from './commands/list.js';
import { formatRunSummary, runCommand } from './commands/run.js';

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
            .option('sim', { type: 'string', default: 'reach', describe: 'scenario (a bare name resolves to its newest version)' })
            .option('robot', { type: 'string', describe: "built-in name, .urdf/.yaml file or robot module (.js/.mjs/.ts); default: the scenario's robot" })
            .option('end-effector', { type: 'string', describe: 'link whose origin reach-type tasks move to the target' })
            .option('planner', { type: 'string', default: 'mppi', describe: 'planner or preset name, or a preset file (see `itinera list planners`)' })
            .option('opt', { type: 'string', array: true, default: [], describe: 'planner option key=value (repeatable)' })
            .option('sim-opt', { type: 'string', array: true, default: [], describe: 'scenario option key=value (repeatable)' })
            .option('episodes', { type: 'number', default: 1 })
            .option('seed', { type: 'number', default: 0, describe: 'seed of the first episode; episode i uses seed + i' })
            .option('model-physics-dt', { type: 'number', describe: "physics step of the planner's simulator copy, ≤ 1/50 s (default: the live world's)" })
            .option('replan-every', { type: 'number', describe: 'plan every N control steps (default 1, or the preset\'s)' })
            .option('record', { type: 'string', describe: 'write every event as JSON Lines to this file' })
            .option('json', { type: 'boolean', default: false, describe: 'print one machine-readable summary on stdout' })
            .check((a) => {
              if (!Number.isInteger(a.episodes) || a.episodes < 1) throw new ItineraError(`--episodes must be a positive integer (got ${a.episodes})`);
              if (a.replanEvery != null && (!Number.isInteger(a.replanEvery) || (a.replanEvery as number) < 1)) throw new ItineraError(`--replan-every must be a positive integer (got ${a.replanEvery})`);
              if (a.modelPhysicsDt != null && !((a.modelPhysicsDt as number) > 0 && (a.modelPhysicsDt as number) <= 0.02)) throw new ItineraError(`--model-physics-dt must be in (0, 0.02] seconds (got ${a.modelPhysicsDt})`);
              if (!Number.isInteger(a.seed) || a.seed < 0) throw new ItineraError(`--seed must be a non-negative integer (got ${a.seed})`);
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
            json: a.json,
            modelPhysicsDt: a.modelPhysicsDt,
            replanEvery: a.replanEvery,
          });
          process.stdout.write(a.json ? JSON.stringify(summary) + '\n' : formatRunSummary(summary) + '\n');
        },
      )
      .command(
        'bench',
        'run a benchmark suite (scenarios × robots × planners × seeds) and write results, summary and report',
        (y) =>
          y
            .option('suite', { type: 'string', demandOption: true, describe: 'suite file, e.g. configs/bench/planners.yaml' })
            .option('out', { type: 'string', demandOption: true, describe: 'directory for results.jsonl, summary.json and report.md' })
            .option('resume', { type: 'boolean', default: false, describe: 'keep the results already in --out and run only the missing episodes' }),
        async (a) => {
          process.stdout.write(await benchCommand({ suite: a.suite, out: a.out, resume: a.resume }));
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
      .demandCommand(1, 'name a command: run, bench, list, check-robot')
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
