import { writeReplay, type ReplaySummary } from '@itinera/viewer';

export interface ViewArgs {
  episode: string;
  /** Default: the recording's name with .html. */
  out?: string;
}

/** The replay page of a recording beside it, or at `out`. */
export function replayPathFor(recording: string): string {
  return recording.replace(/\.jsonl?$/i, '') + '.html';
}

export async function viewCommand(args: ViewArgs): Promise<ReplaySummary> {
  return writeReplay(args.episode, args.out ?? replayPathFor(args.episode));
}

export function formatViewSummary(s: ReplaySummary): string {
  const kb = (s.bytes / 1024).toFixed(0);
  const note = s.withoutScene > 0 ? ` (${s.withoutScene} without a scene: recorded before viewer data; timeline and plot only)` : '';
  return `wrote ${s.out}: ${s.episodes} episode${s.episodes === 1 ? '' : 's'}${note}, ${kb} KiB, opens from disk with no network`;
}
