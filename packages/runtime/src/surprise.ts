// Surprise at every level: what a model expected vs. what arrived. A level-0 learned model measures it per control
// step (its one-step error); the readings feed the replanning triggers and, for replay, the recording.
import { filter, map, type OperatorFunction } from 'rxjs';
import { CONTROL_LEVEL, type DynamicsModel, type EpisodeEvent, type OneStepSurprise } from '@itinera/core';
import { replanOnSurprise } from './level1-triggers.js';
import type { Tick, TriggerSource } from './types.js';

/** One level's surprise at a tick; NaN while it has nothing to compare (no plan, no previous step). */
export interface SurpriseReading {
  level: number;
  read(tick: Tick): number;
}

/** Three significant digits: enough for a curve and a report, short in a recording. */
export const roundSurprise = (value: number) => Number(value.toPrecision(3));

/**
 * A model's one-step error at each tick: its prediction from the previous tick's observation under the action applied
 * since vs. the observation that arrived. Computed once per step (the trigger and the recording share it); for one
 * episode.
 */
export function oneStepSurprise(surprise: OneStepSurprise): (tick: Tick) => number {
  let previous: Tick | undefined;
  let latest = { step: -1, value: NaN };
  return (tick) => {
    if (latest.step === tick.step) return latest.value;
    const follows = previous && tick.action && tick.step === previous.step + 1;
    const value = follows ? surprise.error(previous!.observation, tick.action!, tick.observation) : NaN;
    previous = tick;
    latest = { step: tick.step, value };
    return value;
  };
}

/**
 * Level-0 surprise of a model that declares it (DynamicsModel.surprise): its reading and its replanning trigger, which
 * leaves the steps a periodic plan (every `replanEvery`, if given) covers to it. Undefined for models without it.
 */
export function controlSurprise(model: DynamicsModel | undefined, replanEvery?: number): { reading: SurpriseReading; trigger: TriggerSource } | undefined {
  if (!model?.surprise) return undefined;
  const { threshold, cooldown } = model.surprise;
  const read = oneStepSurprise(model.surprise);
  const trigger = replanOnSurprise(read, { threshold, cooldown, level: CONTROL_LEVEL, active: (tick) => replanEvery === undefined || tick.step % replanEvery !== 0 });
  return { reading: { level: CONTROL_LEVEL, read }, trigger };
}

/** A surprise event per tick where some level has a reading, values rounded. */
export function surpriseEvents(readings: readonly SurpriseReading[]): OperatorFunction<Tick, EpisodeEvent> {
  return (tick$) =>
    tick$.pipe(
      map((tick): EpisodeEvent => {
        const levels: Record<string, number> = {};
        for (const { level, read } of readings) {
          const value = read(tick);
          if (Number.isFinite(value)) levels[level] = roundSurprise(value);
        }
        return { type: 'surprise', t: tick.time, step: tick.step, levels };
      }),
      filter((event) => Object.keys((event as Extract<EpisodeEvent, { type: 'surprise' }>).levels).length > 0),
    );
}
