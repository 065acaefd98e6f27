// The `itinera` entry: one yargs command module per file (command-modules/), each loading its heavy dependencies
// (physics, tfjs, bullmq, the viewer) in its handler, so `--help` and misuse answer without loading them.
import { readFileSync } from 'node:fs';
import yargs from 'yargs';
import { isItineraError, ItineraError } from '@itinera/core';
import { benchModule } from './command-modules/bench.js';
import { checkRobotModule } from './command-modules/check-robot.js';
import { collectModule } from './command-modules/collect.js';
import { describeModule } from './command-modules/describe.js';
import { evalModelModule } from './command-modules/eval-model.js';
import { listModule } from './command-modules/list.js';
import { runModule } from './command-modules/run.js';
import { trainModule } from './command-modules/train.js';
import { viewModule } from './command-modules/view.js';
import { workerModule } from './command-modules/worker.js';

const VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

/** Runs the CLI and returns the exit code; user errors print one clear message, never a stack. */
export async function main(argv: string[]): Promise<number> {
  try {
    await yargs(argv)
      .scriptName('itinera')
      .command(runModule)
      .command(benchModule)
      .command(workerModule)
      .command(collectModule)
      .command(trainModule)
      .command(evalModelModule)
      .command(viewModule)
      .command(listModule)
      .command(describeModule)
      .command(checkRobotModule)
      .demandCommand(1, 'name a command: run, bench, worker, view, list, describe, check-robot, collect, train, eval-model')
      .strict()
      .help()
      .version(VERSION)
      .fail((message, error) => {
        // Usage errors stop the parse before any command runs; yargs' multi-line messages become one line.
        throw error ?? new ItineraError(message.replace(/\s*\n\s*/g, ' '));
      })
      .parseAsync();
  } catch (error) {
    if (isItineraError(error)) {
      process.stderr.write(error.problems.map((p) => `itinera: ${p}`).join('\n') + '\n');
      return 1;
    }
    // An option's coerce that throws reaches here wrapped in yargs' YError, message kept.
    if (error instanceof Error && error.name === 'YError') {
      process.stderr.write(`itinera: ${error.message.replace(/\s*\n\s*/g, ' ')}\n`);
      return 1;
    }
    throw error;
  }
  return 0;
}
