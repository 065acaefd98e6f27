// itinera view: a recording in, a self-contained replay page out.
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { makeParentDirectory, withFileErrors } from '@itinera/core';
import { readRecording } from './read-recording.js';
import { pageBundle } from './page-bundle.js';
import { buildReplay, type ReplayData } from './replay-data.js';
import { replayHtml } from './replay-html.js';

export interface ReplaySummary {
  out: string;
  bytes: number;
  episodes: number;
  /** Episodes recorded without viewer data: no 3D view, timeline and plots only. */
  withoutScene: number;
}

/** The replay page of a recording, as a string. */
export async function replayPage(recording: string): Promise<{ html: string; data: ReplayData }> {
  const data = buildReplay(readRecording(recording), basename(recording));
  return { html: replayHtml(data, await pageBundle()), data };
}

export async function writeReplay(recording: string, out: string): Promise<ReplaySummary> {
  const { html, data } = await replayPage(recording);
  makeParentDirectory(out, `replay page ${out}`);
  withFileErrors(out, 'write the replay page', () => writeFileSync(out, html));
  return { out, bytes: Buffer.byteLength(html), episodes: data.episodes.length, withoutScene: data.episodes.filter((e) => !e.scene || e.frames.length === 0).length };
}
