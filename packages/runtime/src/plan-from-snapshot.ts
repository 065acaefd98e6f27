import { catchError, defer, finalize, from, map, of, tap, throwError, type Observable } from 'rxjs';
import type { Env, Planner, Policy } from '@itinera/core';
import { lockLiveEnv } from './live-env-lock.js';
import { PlannerError } from './planner-error.js';
import type { ReplanTrigger } from './types.js';

/** Asks the planner for a policy from the trigger's tick, on a snapshot, with the live env locked until it settles; `exploration` is asked as the plan starts. */
export function planFromSnapshot(env: Env, planner: Planner, trigger: ReplanTrigger, exploration?: () => number): Observable<Policy> {
  return defer(() => {
    const { observation, time, step } = trigger.tick;
    const request = { observation: Float64Array.from(observation), time, step, snapshot: env.snapshot(), ...(exploration && { exploration: exploration() }) };
    const lock = lockLiveEnv(env);
    return defer(() => asObservable(planner.plan(request))).pipe(
      // Unlock before the policy (or the failure) goes downstream, where the control loop steps the env.
      tap({ next: () => lock.release(), error: () => lock.release() }),
      // A planner that caught the refusal and carried on still fails.
      map((policy) => {
        if (lock.refused) throw lock.refused;
        return policy;
      }),
      // Also when unsubscribed mid-plan.
      finalize(() => lock.release()),
      catchError((error: unknown) => throwError(() => new PlannerError(error, trigger.tick))),
    );
  });
}

function asObservable<T>(value: T | PromiseLike<T>): Observable<T> {
  return isPromiseLike(value) ? from(value) : of(value);
}

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as PromiseLike<T> | null)?.then === 'function';
}
