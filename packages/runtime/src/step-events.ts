import { connect, filter, map, merge, type OperatorFunction } from 'rxjs';
import type { EpisodeEvent } from '@itinera/core';
import { failureFields } from './failure.js';
import { guardrailCrossings, type GuardrailSample } from './guardrail-crossings.js';
import type { StepOutcome } from './step-env.js';

/** Each step's tick event, then its guardrail events, then the done event if the episode ended. */
export function stepEvents(guardrailShare?: number): OperatorFunction<StepOutcome, EpisodeEvent> {
  return connect((outcome$) =>
    merge(
      outcome$.pipe(map(tickEvent)),
      outcome$.pipe(map(guardrailSample), guardrailCrossings(guardrailShare)),
      outcome$.pipe(filter((outcome) => outcome.next === undefined), map(doneEvent)),
    ),
  );
}

function tickEvent({ action, result, viewer }: StepOutcome): EpisodeEvent {
  const { time: t, step, appliedAction } = result.info;
  return { type: 'tick', t, step, action: appliedAction ?? Array.from(action), cost: result.cost, ...viewer };
}

function guardrailSample({ result }: StepOutcome): GuardrailSample {
  return { t: result.info.time, step: result.info.step, cost: result.cost, guardrails: result.info.guardrails };
}

function doneEvent({ result }: StepOutcome): EpisodeEvent {
  const { time: t, step, success, failure, failureDetail } = result.info;
  const fields = success ? {} : failureFields(failure ?? 'failed', failureDetail);
  return { type: 'done', t, step, success, ...fields, terminated: result.terminated, truncated: result.truncated };
}
