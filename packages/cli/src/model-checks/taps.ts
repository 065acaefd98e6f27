// Taps that let eval-model see what a running planner does without changing it: every rollout it asks of a model
// (its candidate plans and their costs) and every plan request (the live state's snapshot at that moment).
import type { DynamicsModel, Planner, PlanRequest, Policy } from '@itinera/core';

export interface RolloutCall {
  start: unknown;
  /** [batch][horizon][actionSize], copied. */
  actions: Float64Array;
  batch: number;
  horizon: number;
  /** The model's costs [batch][horizon]. */
  costs: Float64Array;
}

/** The same model, whose rollouts are also handed to `seen` (awaited before the planner gets its costs). */
export function tapRollouts<M extends DynamicsModel<any>>(model: M, seen: (call: RolloutCall) => Promise<void>): M {
  return forwarding(model, {
    async rollout(start: unknown, actions: Float64Array, batch: number, horizon: number) {
      const result = await model.rollout(start, actions, batch, horizon);
      await seen({ start, actions: Float64Array.from(actions), batch, horizon, costs: Float64Array.from(result.costs) });
      return result;
    },
  });
}

export interface TappedPlanner extends Planner {
  /** The request being planned now (undefined between plans). */
  readonly current: PlanRequest | undefined;
  /** Counts plan requests, so a tap can tell a plan's first rollout from its later iterations. */
  readonly plans: number;
  /** Resolves when the plan in flight (if any) has ended: nothing may be freed before. */
  settled(): Promise<void>;
}

export function tapPlans(planner: Planner): TappedPlanner {
  let current: PlanRequest | undefined;
  let plans = 0;
  let inFlight: Promise<unknown> = Promise.resolve();
  return forwarding(planner, {
    get current() {
      return current;
    },
    get plans() {
      return plans;
    },
    plan(request: PlanRequest): Promise<Policy> {
      current = request;
      plans++;
      const policy = Promise.resolve(planner.plan(request)).finally(() => (current = undefined));
      inFlight = policy.catch(() => {});
      return policy;
    },
    settled: () => inFlight.then(() => {}),
  }) as TappedPlanner;
}

/** `target` with some members replaced; the rest are read from (and methods bound to) the target. */
function forwarding<T extends object>(target: T, overrides: object): T {
  return new Proxy(target, {
    get(t, key) {
      if (key in overrides) return Reflect.get(overrides, key);
      const value = Reflect.get(t, key, t);
      return typeof value === 'function' ? value.bind(t) : value;
    },
  });
}
