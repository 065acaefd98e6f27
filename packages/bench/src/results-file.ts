// results.jsonl: one line per finished episode, written with one synchronous append so a killed run keeps every whole line.
import { appendFileSync, existsSync, readFileSync, truncateSync } from 'node:fs';
import { ItineraError, withFileErrors } from '@itinera/core';
import type { BenchRecord } from './bench-episode.js';

export class ResultsFile {
  private readonly byKey = new Map<string, BenchRecord>();
  /** Bytes of a half-written last line that opening dropped (0 when the file was whole). */
  readonly repairedBytes: number = 0;
  /** Line numbers (1-based) of results whose episode an earlier line already holds: [earlier, repeat]. */
  readonly duplicateLines: Array<[number, number]> = [];

  /** Without `resume` an existing non-empty file is refused: it holds results of an earlier run. */
  constructor(
    readonly path: string,
    resume: boolean,
  ) {
    const text = existsSync(path) ? withFileErrors(path, 'read results', () => readFileSync(path, 'utf8')) : '';
    if (text.length > 0 && !resume) {
      throw new ItineraError(`${path} already holds results: pass --resume to complete that run, or choose another --out`);
    }
    const end = text.lastIndexOf('\n') + 1;
    if (end < text.length) {
      // The run was killed mid-write: drop the partial line, its episode runs again.
      truncateSync(path, Buffer.byteLength(text.slice(0, end)));
      this.repairedBytes = Buffer.byteLength(text.slice(end));
    }
    const lineOf = new Map<string, number>();
    text
      .slice(0, end)
      .split('\n')
      .forEach((line, i) => {
        if (line.trim() === '') return;
        const record = parseRecord(line, `${path}:${i + 1}`);
        const earlier = lineOf.get(record.key);
        if (earlier !== undefined) this.duplicateLines.push([earlier, i + 1]);
        else lineOf.set(record.key, i + 1);
        this.byKey.set(record.key, record);
      });
  }

  /** One line for stderr when an episode's result appears more than once (a copied or merged-by-hand file). */
  duplicateWarning(): string | undefined {
    const pairs = this.duplicateLines;
    if (pairs.length === 0) return undefined;
    const shown = pairs.slice(0, 5).map(([a, b]) => `${b} repeats ${a}`).join(', ');
    const more = pairs.length > 5 ? ` and ${pairs.length - 5} more` : '';
    return `${this.path}: ${pairs.length} line${pairs.length > 1 ? 's repeat episodes' : ' repeats an episode'} already there (line ${shown}${more}); each episode counts once, with its last line`;
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  append(record: BenchRecord): void {
    withFileErrors(this.path, 'append a result', () => appendFileSync(this.path, JSON.stringify(record) + '\n'));
    this.byKey.set(record.key, record);
  }

  records(): BenchRecord[] {
    return [...this.byKey.values()];
  }
}

/** The whole lines of a results file, read only: a half-written last line is skipped, not repaired. */
export function readResults(path: string): BenchRecord[] {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  return text
    .slice(0, text.lastIndexOf('\n') + 1)
    .split('\n')
    .flatMap((line, i) => (line.trim() === '' ? [] : [parseRecord(line, `${path}:${i + 1}`)]));
}

function parseRecord(line: string, where: string): BenchRecord {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new ItineraError(`${where}: not a JSON line; fix or delete it and pass --resume again`);
  }
  if (typeof value !== 'object' || value === null || typeof (value as { key?: unknown }).key !== 'string') {
    throw new ItineraError(`${where}: not a benchmark result (no "key")`);
  }
  return value as BenchRecord;
}
