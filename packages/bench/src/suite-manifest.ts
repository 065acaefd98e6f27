// suite.json in every output directory: which suite (name + content hash) and which shard produced its results,
// with the episode list, so `bench merge` can summarise without the suite file and refuse mixed suites.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ItineraError, makeDirectory, withFileErrors } from '@itinera/core';
import type { ResolvedClaim } from './claims.js';
import { canonicalJson, type EpisodeSpec } from './matrix.js';
import type { Shard } from './shard.js';

export interface SuiteManifest {
  suite: string;
  /** sha256 of the resolved episode matrix (names, full options with defaults, seeds): equal hash, equal episodes. */
  hash: string;
  shard: Shard | null;
  episodes: EpisodeSpec[];
  /** Judged on whatever results the directory holds; not part of the hash, so editing a claim reuses the episodes. */
  claims?: ResolvedClaim[];
}

export const SUITE_MANIFEST = 'suite.json';

export function suiteHash(suite: string, specs: EpisodeSpec[]): string {
  return createHash('sha256').update(canonicalJson({ suite, episodes: specs })).digest('hex').slice(0, 16);
}

export function makeSuiteManifest(suite: string, specs: EpisodeSpec[], shard: Shard | null, claims: ResolvedClaim[] = []): SuiteManifest {
  return { suite, hash: suiteHash(suite, specs), shard, episodes: specs, ...(claims.length > 0 && { claims }) };
}

export function readSuiteManifest(dir: string): SuiteManifest | undefined {
  const path = join(dir, SUITE_MANIFEST);
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as SuiteManifest;
  } catch {
    throw new ItineraError(`${path}: not valid JSON; it records which suite produced ${dir}`);
  }
}

/** Makes `dir` if missing and writes suite.json, refusing a directory that already holds another suite's or another shard's results. */
export function claimOutputDir(dir: string, manifest: SuiteManifest): void {
  makeDirectory(dir, `--out ${dir}`);
  const existing = readSuiteManifest(dir);
  if (existing && existing.hash !== manifest.hash) {
    throw new ItineraError(`${dir} holds results of suite '${existing.suite}' (hash ${existing.hash}), not of this suite '${manifest.suite}' (hash ${manifest.hash}): choose another --out`);
  }
  if (existing && shardName(existing.shard) !== shardName(manifest.shard)) {
    throw new ItineraError(`${dir} holds results of shard ${shardName(existing.shard)}, not ${shardName(manifest.shard)}: choose another --out`);
  }
  const path = join(dir, SUITE_MANIFEST);
  withFileErrors(path, 'write', () => writeFileSync(path, JSON.stringify(manifest, null, 2) + '\n'));
}

/** `i/N` counted from 1, as --shard takes it. */
export function shardName(shard: Shard | null): string {
  return shard ? `${shard.index + 1}/${shard.count}` : 'all';
}
