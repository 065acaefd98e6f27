// A recording (itinera run --record) read back: one event per JSON line, checked enough to name a bad line.
import { existsSync, readFileSync } from 'node:fs';
import { ItineraError, type EpisodeEvent } from '@itinera/core';

export function readRecording(path: string): EpisodeEvent[] {
  if (!existsSync(path)) throw new ItineraError(`recording '${path}' does not exist`);
  const events: EpisodeEvent[] = [];
  const lines = readFileSync(path, 'utf8').split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch {
      // A killed run can leave its last line half written; anything else is not a recording.
      if (i === lines.length - 1) return;
      throw new ItineraError(`${path}:${i + 1}: not a JSON line`);
    }
    if (typeof (event as EpisodeEvent)?.type !== 'string' || typeof (event as EpisodeEvent).step !== 'number') {
      throw new ItineraError(`${path}:${i + 1}: not an episode event (no type or step)`);
    }
    events.push(event as EpisodeEvent);
  });
  if (events[0]?.type !== 'reset') throw new ItineraError(`${path}: a recording starts with a reset event (is it from itinera run --record?)`);
  return events;
}
