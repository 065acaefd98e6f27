// `itinera bench merge DIR… --out DIR`: shard outputs of one suite become the output of a single run.
import { mergeShards } from '@itinera/bench';

export interface BenchMergeArgs {
  dirs: string[];
  out: string;
}

/** Merges, says on stderr what is missing or doubled, and returns the report. */
export async function benchMergeCommand(args: BenchMergeArgs): Promise<string> {
  const { report, notes } = await mergeShards(args.dirs, args.out);
  for (const note of notes) process.stderr.write(`itinera: ${note}\n`);
  return report;
}
