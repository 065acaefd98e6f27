// The values that flow between the runtime's streams.
import type { Policy } from '@itinera/core';
import type { OperatorFunction } from 'rxjs';

/** One control step is due: the state its action will be taken from. */
export interface Tick {
  /** Control steps since reset. */
  step: number;
  /** Simulated seconds since reset. */
  time: number;
  observation: Float64Array;
  /** The action applied at the previous step, which led here (absent at reset). */
  action?: Float64Array;
}

/** A reason to plan again, raised at a tick. */
export interface ReplanTrigger {
  tick: Tick;
  /** Planning level: 0 is control; higher levels are slower and coarser. */
  level: number;
  /** 'start', 'periodic', and later 'surprise', 'subgoal-done', 'world-event'… */
  reason: string;
  /** The surprise that caused it (reason 'surprise'). */
  surprise?: number;
}

/** A trigger stream: watches the ticks and says when to plan again. */
export type TriggerSource = OperatorFunction<Tick, ReplanTrigger>;

/** A policy a planner published in answer to a trigger. */
export interface PlannedPolicy {
  trigger: ReplanTrigger;
  policy: Policy;
  /** Wall-clock milliseconds the plan took. */
  ms: number;
}

export type PlanChange = { type: 'requested'; trigger: ReplanTrigger } | { type: 'planned'; planned: PlannedPolicy };

/** Where planning stands: the control loop acts only when nothing is pending. */
export interface PlanStatus {
  /** Plans requested and not yet delivered. */
  pending: number;
  latest?: PlannedPolicy;
  /** What made this status; absent on the initial one. */
  change?: PlanChange;
}
