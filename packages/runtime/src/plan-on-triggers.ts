import { concatMap, defer, from, map, take, throwIfEmpty, type ObservableInput, type OperatorFunction } from 'rxjs';
import type { Policy } from '@itinera/core';
import type { PlannedPolicy, ReplanTrigger } from './types.js';

/** Plans once per trigger and publishes each policy with the wall-clock time it took. */
export function planOnTriggers(
  plan: (trigger: ReplanTrigger) => ObservableInput<Policy>,
  clock: () => number = () => performance.now(),
): OperatorFunction<ReplanTrigger, PlannedPolicy> {
  // concatMap, not switchMap/exhaustMap: the control loop waits for every plan it asked for, so none goes stale, and cancelling or dropping by wall-clock speed would make episodes nondeterministic and re-enter a stateful planner.
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
