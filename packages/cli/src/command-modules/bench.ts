// `itinera bench`: running a suite is bench's default subcommand ($0) beside `merge`, so each shows only its own options.
import { ItineraError } from '@itinera/core';
import { benchMergeModule } from './bench-merge.js';
import { commandModule, integerOption, threadsOption } from './options.js';

export const benchModule = commandModule({
  command: 'bench',
  describe: 'run a benchmark suite (scenarios × robots × planners × seeds) and write results, summary and report',
  builder: (y) => y.command(benchMergeModule).command(benchRunModule),
  handler: () => {},
});

const benchRunModule = commandModule({
  command: '$0',
  describe: 'run a benchmark suite (scenarios × robots × planners × seeds) and write results, summary and report',
  builder: (y) =>
    y
      .option('suite', { type: 'string', describe: 'suite file, e.g. configs/bench/planners.yaml (required)' })
      .option('out', { type: 'string', describe: 'directory for results.jsonl, summary.json and report.md (required)' })
      .option('resume', { type: 'boolean', default: false, describe: 'keep the results already in --out and run only the missing episodes' })
      .option('shard', { type: 'string', describe: 'i/N, 1 ≤ i ≤ N: run only slice i of N of the episodes (merge with `itinera bench merge`)' })
      .option('workers', integerOption('--workers', { default: 1, min: 1, describe: 'episodes run at once, each in its own worker thread' }))
      .option('threads', threadsOption("threads that roll out each plan's samples per episode (default 1: --workers spreads whole episodes, which costs less); workers × threads is held to the machine's cores"))
      .option('queue', { type: 'string', describe: 'redis://HOST:PORT: enqueue the episodes for `itinera worker`s instead of running them (BullMQ)' })
      .option('collect', { type: 'boolean', default: false, describe: 'with --queue: wait for the enqueued episodes and write their results to --out' }),
  handler: async (a) => {
    if (a.collect && !a.queue) throw new ItineraError('--collect gathers episodes from a queue: add --queue redis://HOST:PORT');
    if (a.queue) {
      if (a.shard !== undefined || a.workers !== 1) throw new ItineraError('--queue does not combine with --shard or --workers: start more `itinera worker`s instead');
      if (!a.suite || (a.collect && !a.out)) throw new ItineraError(`bench --queue needs ${[!a.suite && '--suite FILE', a.collect && !a.out && '--out DIR'].filter(Boolean).join(' and ')}`);
      if (!a.collect && a.out) throw new ItineraError('--out goes with --collect: enqueueing writes nothing locally');
      const { benchQueueCommand } = await import('../commands/bench-queue.js');
      process.stdout.write(await benchQueueCommand({ queue: a.queue, suite: a.suite, collect: a.collect, out: a.out, resume: a.resume }));
      return;
    }
    if (!a.suite || !a.out) throw new ItineraError(`bench needs ${[!a.suite && '--suite FILE', !a.out && '--out DIR'].filter(Boolean).join(' and ')}`);
    const { benchCommand } = await import('../commands/bench.js');
    process.stdout.write(await benchCommand({ suite: a.suite, out: a.out, resume: a.resume, shard: a.shard, workers: a.workers, threads: a.threads }));
  },
});
