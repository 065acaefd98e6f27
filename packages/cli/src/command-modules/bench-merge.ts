// `itinera bench merge DIR… --out DIR`: a subcommand of bench with options of its own.
import { commandModule } from './options.js';

export const benchMergeModule = commandModule({
  command: 'merge <dirs..>',
  describe: 'merge the --out directories of `bench --shard i/N` runs of one suite into one result',
  builder: (m) =>
    m
      .positional('dirs', { type: 'string', array: true, demandOption: true, describe: 'shard output directories' })
      .option('out', { type: 'string', demandOption: true, describe: 'directory for the merged results.jsonl, summary.json and report.md' }),
  handler: async (m) => {
    const { benchMergeCommand } = await import('../commands/bench-merge.js');
    process.stdout.write(await benchMergeCommand({ dirs: (m.dirs ?? []).map(String), out: m.out }));
  },
});
