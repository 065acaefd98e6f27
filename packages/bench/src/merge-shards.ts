// `itinera bench merge`: shard output directories of one suite become one output directory, as if one process ran it.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ItineraError } from '@itinera/core';
import type { BenchRecord } from './bench-episode.js';
import { writeBenchOutputs } from './bench-outputs.js';
import { readResults } from './results-file.js';
import { claimOutputDir, readSuiteManifest, shardName, type SuiteManifest } from './suite-manifest.js';

export interface MergeOutcome {
  report: string;
  /** Things worth saying on stderr: missing shards, episodes not run, duplicates dropped. */
  notes: string[];
}

/** Merges `dirs` into `out`: results.jsonl in suite order, suite.json without a shard, summary, report and plots. */
export async function mergeShards(dirs: string[], out: string): Promise<MergeOutcome> {
  if (dirs.length === 0) throw new ItineraError('bench merge needs at least one shard directory');
  const manifests = dirs.map((dir): [string, SuiteManifest] => {
    const manifest = readSuiteManifest(dir);
    if (!manifest) throw new ItineraError(`${dir} has no suite.json: is it the --out of an \`itinera bench\` run?`);
    return [dir, manifest];
  });
  const [firstDir, first] = manifests[0];
  const strangers = manifests.filter(([, m]) => m.hash !== first.hash);
  if (strangers.length > 0) {
    throw new ItineraError(strangers.map(([dir, m]) => `${dir} holds suite '${m.suite}' (hash ${m.hash}), ${firstDir} holds '${first.suite}' (hash ${first.hash}): only shards of one suite merge`));
  }

  const notes: string[] = [];
  const counts = new Set(manifests.map(([, m]) => m.shard?.count ?? 1));
  const seen = new Set(manifests.map(([, m]) => shardName(m.shard)));
  for (const count of counts) {
    const missing = Array.from({ length: count }, (_, i) => (count === 1 ? 'all' : shardName({ index: i, count }))).filter((name) => !seen.has(name));
    if (missing.length > 0 && !seen.has('all')) notes.push(`shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')} not among the merged directories`);
  }

  const byKey = new Map<string, BenchRecord>();
  let duplicates = 0;
  for (const dir of dirs) {
    for (const record of readResults(join(dir, 'results.jsonl'))) {
      if (byKey.has(record.key)) duplicates++;
      else byKey.set(record.key, record);
    }
  }
  if (duplicates > 0) notes.push(`${duplicates} episode${duplicates > 1 ? 's' : ''} appeared in more than one directory; the first result of each is kept`);
  const specs = first.episodes;
  const records = specs.flatMap((s) => byKey.get(s.key) ?? []);
  if (records.length < specs.length) notes.push(`${specs.length - records.length} of the suite's ${specs.length} episodes have no result yet`);
  const strays = byKey.size - records.length;
  if (strays > 0) notes.push(`${strays} results match no episode of the suite and are left out`);

  if (existsSync(join(out, 'results.jsonl'))) throw new ItineraError(`${out} already holds results.jsonl: merge into a new --out`);
  claimOutputDir(out, { ...first, shard: null });
  writeFileSync(join(out, 'results.jsonl'), records.map((r) => JSON.stringify(r) + '\n').join(''));
  return { report: await writeBenchOutputs(out, first.suite, specs, records), notes };
}
