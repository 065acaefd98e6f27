import { filter, map, type OperatorFunction } from 'rxjs';
import type { EpisodeEvent } from '@itinera/core';
import type { PlanChange, PlanStatus } from './types.js';

/** A replan event for every request (with its reason and level) and a plan event for every delivered policy. */
export function planEvents(): OperatorFunction<PlanStatus, EpisodeEvent> {
  return (status$) =>
    status$.pipe(
      map((status) => status.change),
      filter((change): change is PlanChange => change !== undefined),
      map((change): EpisodeEvent => {
        if (change.type === 'requested') {
          const { tick, level, reason } = change.trigger;
          return { type: 'replan', t: tick.time, step: tick.step, level, reason };
        }
        const { trigger, ms } = change.planned;
        return { type: 'plan', t: trigger.tick.time, step: trigger.tick.step, level: trigger.level, ms };
      }),
    );
}
