import { lastValueFrom, tap } from 'rxjs';
import type { Env, EpisodeEvent, EpisodeSummary, Planner } from '@itinera/core';
import { episode$, type EpisodeOptions } from './episode.js';
import { summariseEpisode } from './summarise-episode.js';

export interface RunEpisodeOptions extends EpisodeOptions {
  onEvent?: (event: EpisodeEvent) => void;
}

/** Runs one episode, forwarding every event to onEvent, and resolves to its summary. */
export async function runEpisode(env: Env, planner: Planner, options: RunEpisodeOptions): Promise<EpisodeSummary> {
  const { onEvent = () => {} } = options;
  return lastValueFrom(episode$(env, planner, options).pipe(tap(onEvent), summariseEpisode()));
}
