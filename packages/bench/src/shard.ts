// --shard i/N: a deterministic slice of the episode matrix, so N independent copies together run every episode once.
import { ItineraError } from '@itinera/core';
import type { EpisodeSpec } from './matrix.js';

export interface Shard {
  index: number;
  count: number;
}

/** Parses `i/N` with 1 ≤ i ≤ N, as users count (Jest's --shard=1/3); `index` counts from 0. */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = match ? Number(match[1]) - 1 : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || count < 1 || index < 0 || index >= count) throw new ItineraError(`--shard must be i/N with 1 ≤ i ≤ N, e.g. 1/4 (got '${text}')`);
  return { index, count };
}

/** Episode j of the matrix belongs to shard j mod N: every shard gets a balanced mix of scenarios and planners. */
export function shardSlice<T extends EpisodeSpec>(specs: T[], shard: Shard): T[] {
  return specs.filter((_, j) => j % shard.count === shard.index);
}
