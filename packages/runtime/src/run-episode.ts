import { lastValueFrom, tap } from 'rxjs';
import { ItineraError, type DynamicsModel, type Env, type EpisodeEvent, type EpisodeSummary, type Planner } from '@itinera/core';
import { episode$, type EpisodeOptions } from './episode.js';
import { realtimeEpisode$ } from './realtime-episode.js';
import { levelSurprises, levelTriggers, plannerEvents, withSideEvents } from './planner-levels.js';
import { controlSurprise } from './surprise.js';
import { summariseEpisode } from './summarise-episode.js';

export interface RunEpisodeOptions extends EpisodeOptions {
  onEvent?: (event: EpisodeEvent) => void;
  /** The model level 0 plans on: one that declares surprise (DynamicsModel.surprise) also replans on it. */
  model?: DynamicsModel;
  /**
   * Advance at wall-clock pace, acting on the latest finished plan while the next is computed (realtimeEpisode$):
   * flat planners only, not deterministic.
   */
  realtime?: boolean;
}

/**
 * Runs one episode, forwarding every event to onEvent, and resolves to its summary. A multi-level planner also gets
 * its triggers and its own events in the stream (and so in the summary's subgoals and replans), whoever runs it; a
 * level-0 model that measures its surprise gets its trigger too. Every level's surprise is recorded with viewer data.
 */
export async function runEpisode(env: Env, planner: Planner, options: RunEpisodeOptions): Promise<EpisodeSummary> {
  const { onEvent = () => {}, model } = options;
  const { levels } = planner;
  if (options.realtime) {
    if (levels) throw new ItineraError(`realtime episodes plan one level; planner '${planner.name}' has levels above control`);
    return lastValueFrom(realtimeEpisode$(env, planner, options).pipe(tap(onEvent), summariseEpisode(undefined, env.controlDt)));
  }
  const control = controlSurprise(model, options.replanEvery ?? 1);
  const triggers = [...(options.triggers ?? []), ...(levels ? levelTriggers(levels) : []), ...(control ? [control.trigger] : [])];
  const surprises = [...(options.surprises ?? []), ...(control ? [control.reading] : []), ...(levels ? levelSurprises(levels) : [])];
  const run$ = episode$(env, planner, { ...options, triggers, surprises });
  return lastValueFrom((levels ? run$.pipe(withSideEvents(plannerEvents(levels))) : run$).pipe(tap(onEvent), summariseEpisode(undefined, env.controlDt)));
}
