// What every planner over knot plans shares: the layout and bounds of its knot vectors, the warm start from the plan
// handed out last, and the seeded rng that reset() restarts.
import { Rng, type Policy } from '@itinera/core';
import { planPolicy, shift, type Interpolation, type KnotPlan } from './action-plan.js';

/** The plan options every knot planner has. */
export interface KnotLayout {
  horizon: number;
  knots: number;
  interpolation: Interpolation;
  /** Start from the previous plan shifted in time (else from the neutral action). */
  warmStart: boolean;
}

export class KnotPlans {
  /** Seconds from the first to the last control step of the horizon. */
  readonly span: number;
  /** Actuators per knot. */
  readonly size: number;
  /** Entries of one knot vector, row-major [knot][actuator]. */
  readonly length: number;
  /** Action bounds per knot entry, so optimisers clamp knot vectors directly. */
  readonly knotLow: Float64Array;
  readonly knotHigh: Float64Array;
  private stream: Rng;
  private previous: KnotPlan | undefined;
  /** The knot vector of the action space's neutral action (zeros unless servos hold a pose). */
  private readonly neutral: Float64Array;

  /** `name` forks the planner's rng from the context's (and from the episode seed on reset). */
  constructor(private readonly name: string, private readonly layout: KnotLayout, readonly low: Float64Array, readonly high: Float64Array, dt: number, rng: Rng, neutral?: Float64Array) {
    this.span = (layout.horizon - 1) * dt;
    this.size = low.length;
    this.length = layout.knots * this.size;
    this.knotLow = tile(low, layout.knots);
    this.knotHigh = tile(high, layout.knots);
    this.neutral = neutral ? tile(neutral, layout.knots) : new Float64Array(this.length);
    this.stream = rng.fork(name);
  }

  /** The planner's random stream (restarted by reset). */
  get rng(): Rng {
    return this.stream;
  }

  /** The knot vector a plan at `time` starts from: the last plan shifted to `time` (warm start), else the neutral action. */
  nominal(time: number): Float64Array {
    return this.previous && this.layout.warmStart ? shift(this.previous, time).knots : Float64Array.from(this.neutral);
  }

  /** `knots` as a plan from `start` over the horizon. */
  at(knots: Float64Array, start: number): KnotPlan {
    return { start, span: this.span, knots, count: this.layout.knots, size: this.size, interpolation: this.layout.interpolation };
  }

  /** Clamps a knot vector into the bounds, in place. */
  clamp(knots: Float64Array): Float64Array {
    for (let i = 0; i < knots.length; i++) knots[i] = Math.min(this.knotHigh[i], Math.max(this.knotLow[i], knots[i]));
    return knots;
  }

  /** Hands out `knots` as the plan from `time` on, remembered as the next plan's warm start. */
  handOut(knots: Float64Array, time: number): { plan: KnotPlan; policy: Policy } {
    this.previous = this.at(knots, time);
    return { plan: this.previous, policy: planPolicy(this.previous, this.low, this.high) };
  }

  reset(seed: number): void {
    this.stream = new Rng(seed).fork(this.name);
    this.previous = undefined;
  }

  dispose(): void {
    this.previous = undefined;
  }
}

function tile(values: Float64Array, times: number): Float64Array {
  const out = new Float64Array(values.length * times);
  for (let i = 0; i < times; i++) out.set(values, i * values.length);
  return out;
}
