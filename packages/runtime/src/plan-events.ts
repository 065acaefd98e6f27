import { filter, map, type OperatorFunction } from 'rxjs';
import type { EpisodeEvent } from '@itinera/core';
import { roundSurprise } from './surprise.js';
import type { PlanChange, PlanStatus } from './types.js';

/**
 * A replan event for every request (with its reason and level) and a plan event for every delivered policy, with
 * the policy's predicted path when `predictions` is set and the planner offers one.
 */
export function planEvents(predictions = false): OperatorFunction<PlanStatus, EpisodeEvent> {
  return (status$) =>
    status$.pipe(
      map((status) => status.change),
      filter((change): change is PlanChange => change !== undefined),
      map((change): EpisodeEvent => {
        if (change.type === 'requested') {
          const { tick, level, reason, surprise } = change.trigger;
          return { type: 'replan', t: tick.time, step: tick.step, level, reason, ...(surprise !== undefined && { surprise: roundSurprise(surprise) }) };
        }
        const { trigger, ms, policy } = change.planned;
        const predicted = predictions ? policy.predictedPath?.() : undefined;
        return { type: 'plan', t: trigger.tick.time, step: trigger.tick.step, level: trigger.level, ms, ...(predicted && { predicted }) };
      }),
    );
}
