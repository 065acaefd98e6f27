import { lastValueFrom, tap } from 'rxjs';
import type { Env, EpisodeEvent, EpisodeSummary, Planner } from '@itinera/core';
import { episode$, type EpisodeOptions } from './episode.js';
import { levelTriggers, plannerEvents, withSideEvents } from './planner-levels.js';
import { summariseEpisode } from './summarise-episode.js';

export interface RunEpisodeOptions extends EpisodeOptions {
  onEvent?: (event: EpisodeEvent) => void;
}

/**
 * Runs one episode, forwarding every event to onEvent, and resolves to its summary. A multi-level planner also gets
 * its triggers and its own events in the stream (and so in the summary's subgoals and replans), whoever runs it.
 */
export async function runEpisode(env: Env, planner: Planner, options: RunEpisodeOptions): Promise<EpisodeSummary> {
  const { onEvent = () => {} } = options;
  const { levels } = planner;
  if (!levels) return lastValueFrom(episode$(env, planner, options).pipe(tap(onEvent), summariseEpisode(undefined, env.controlDt)));
  const triggers = [...(options.triggers ?? []), ...levelTriggers(levels)];
  return lastValueFrom(episode$(env, planner, { ...options, triggers }).pipe(withSideEvents(plannerEvents(levels)), tap(onEvent), summariseEpisode(undefined, env.controlDt)));
}
