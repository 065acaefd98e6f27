import { concatMap, defer, from, map, take, throwIfEmpty, type ObservableInput, type OperatorFunction } from 'rxjs';
import type { Policy } from '@itinera/core';
import type { PlannedPolicy, ReplanTrigger } from './types.js';

/** Plans once per trigger and publishes each policy with the wall-clock time it took. */
export function planOnTriggers(
  plan: (trigger: ReplanTrigger) => ObservableInput<Policy>,
  clock: () => number = () => performance.now(),
): OperatorFunction<ReplanTrigger, PlannedPolicy> {
  // concatMap, not switchMap/exhaustMap: the loop waits for each plan, so none goes stale; cancelling or dropping plans by wall-clock speed would break determinism.
  return concatMap((trigger) =>
    defer(() => {
      const started = clock();
      return from(plan(trigger)).pipe(
        take(1),
        throwIfEmpty(() => new Error('planner returned no policy')),
        map((policy) => ({ trigger, policy, ms: clock() - started })),
      );
    }),
  );
}
