import { map, type OperatorFunction } from 'rxjs';
import type { Env, Frame, StepResult } from '@itinera/core';
import { lockLiveEnv } from './live-env-lock.js';
import { PlannerError } from './planner-error.js';
import type { PolicyAtTick } from './sample-latest-policy.js';
import type { Tick } from './types.js';

/** One control step taken: the tick it was taken at, the action and what the env answered. */
export interface StepOutcome {
  tick: Tick;
  action: Float64Array;
  result: StepResult;
  /** The next tick, or undefined when the episode ended. */
  next: Tick | undefined;
  /** Added to the tick event when recording for a replay viewer (withViewerData). */
  viewer?: { frame?: Frame; terms: Record<string, number>; guardrails: Record<string, number> };
}

/** Takes each sampled policy's action on the live env: the only place that advances it. */
export function stepEnv(env: Env): OperatorFunction<PolicyAtTick, StepOutcome> {
  return map(({ tick, planned }) => {
    const action = actionOf(env, planned.policy, tick);
    const result = env.step(action);
    const ended = result.terminated || result.truncated;
    const applied = result.info.appliedAction ? Float64Array.from(result.info.appliedAction) : action;
    const next = ended ? undefined : { step: result.info.step, time: result.info.time, observation: result.observation, action: applied };
    return { tick, action, result, next };
  });
}

/** A policy that throws, or steps the live env itself, is its planner's failure, not the runtime's. */
function actionOf(env: Env, policy: PolicyAtTick['planned']['policy'], tick: Tick): Float64Array {
  const lock = lockLiveEnv(env);
  try {
    const action = policy.action(tick.time, tick.observation);
    if (lock.refused) throw lock.refused;
    return action;
  } catch (error) {
    throw new PlannerError(error, tick);
  } finally {
    lock.release();
  }
}
