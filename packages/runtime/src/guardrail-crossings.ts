import { defer, mergeMap, type OperatorFunction } from 'rxjs';
import type { EpisodeEvent } from '@itinera/core';

export type GuardrailEvent = Extract<EpisodeEvent, { type: 'guardrail' }>;

/** One step's cost and its guardrail terms (StepInfo.guardrails). */
export interface GuardrailSample {
  t: number;
  step: number;
  cost: number;
  guardrails: Record<string, number>;
}

/** Default share of a step's cost at which a guardrail term is reported. */
export const GUARDRAIL_SHARE = 0.5;

/**
 * Emits a guardrail event when a guardrail term rises to at least `share` of its step's total cost (the plan pays
 * more for the guardrail than for everything else), a threshold that holds whatever the task's weights. A term is
 * re-armed only once it falls below half that share, so one hovering at the threshold is reported once, not every tick.
 */
export function guardrailCrossings(share = GUARDRAIL_SHARE): OperatorFunction<GuardrailSample, GuardrailEvent> {
  if (!(share > 0 && share <= 1)) throw new RangeError(`guardrail share must be in (0, 1] (got ${share})`);
  return (sample$) =>
    defer(() => {
      const reported = new Set<string>();
      return sample$.pipe(
        mergeMap(({ t, step, cost, guardrails }) => {
          const events: GuardrailEvent[] = [];
          for (const [name, value] of Object.entries(guardrails)) {
            const fraction = cost > 0 && Number.isFinite(value) ? value / cost : 0;
            if (!reported.has(name) && fraction >= share) {
              reported.add(name);
              events.push({ type: 'guardrail', t, step, name, value });
            } else if (reported.has(name) && fraction < share / 2) {
              reported.delete(name);
            }
          }
          return events;
        }),
      );
    });
}
