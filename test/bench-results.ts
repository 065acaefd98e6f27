// Shared by the bench tests: an output folder's per-episode records, and the same without wall-clock fields, so two
// runs of the same episodes compare equal.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WALL_CLOCK_FIELDS } from '@itinera/bench';

/** The records of `out`/results.jsonl, in file order. */
export const benchRecords = (out: string): Record<string, unknown>[] =>
  readFileSync(join(out, 'results.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));

/** A record without the fields that measure the wall clock. */
export function measured(record: object): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...record };
  for (const field of WALL_CLOCK_FIELDS) delete copy[field];
  return copy;
}

/** Records without wall-clock fields, ordered by episode key (shards and workers finish in any order). */
export const byKey = (rs: Record<string, unknown>[]) => rs.map(measured).sort((a, b) => (String(a.key) < String(b.key) ? -1 : 1));
