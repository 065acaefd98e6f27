// The files a finished (or merged) benchmark leaves beside results.jsonl: summary.json, report.md and the plots.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withFileErrors } from '@itinera/core';
import type { BenchRecord } from './bench-episode.js';
import { evaluateClaims } from './claims.js';
import type { EpisodeSpec } from './matrix.js';
import { writeBenchPlots } from './plots.js';
import { formatReport } from './report.js';
import { summariseBench } from './summary.js';
import { readSuiteManifest } from './suite-manifest.js';

/** Writes summary.json, report.md and the plots into `out`; returns the report. The claims come from `out`'s suite.json. */
export async function writeBenchOutputs(out: string, suite: string, specs: EpisodeSpec[], records: BenchRecord[]): Promise<string> {
  const claims = readSuiteManifest(out)?.claims ?? [];
  const summary = { ...summariseBench(suite, specs, records), ...(claims.length > 0 && { claims: evaluateClaims(claims, specs, records) }) };
  const report = formatReport(summary, await writeBenchPlots(out, summary, records));
  const write = (file: string, text: string) => withFileErrors(join(out, file), 'write', () => writeFileSync(join(out, file), text));
  write('summary.json', JSON.stringify(summary, null, 2) + '\n');
  write('report.md', report);
  return report;
}
