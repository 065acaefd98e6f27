// Action sequences as a few knots in time, interpolated: the search space of sampling planners.
import type { Policy } from '@itinera/core';

export type Interpolation = 'zoh' | 'linear' | 'spline';

/** Knot values, row-major [knot][action], at evenly spaced times from `start` over `span` seconds. */
export interface KnotPlan {
  readonly start: number;
  readonly span: number;
  readonly knots: Float64Array;
  readonly count: number;
  readonly size: number;
  readonly interpolation: Interpolation;
}

/** The action at `time`, held constant before the first and after the last knot. */
export function evaluate(plan: KnotPlan, time: number, out = new Float64Array(plan.size)): Float64Array {
  const { knots, count, size } = plan;
  if (count === 1) {
    out.set(knots.subarray(0, size));
    return out;
  }
  const u = Math.min(1, Math.max(0, (time - plan.start) / plan.span)) * (count - 1);
  const i = Math.min(count - 2, Math.floor(u));
  const f = u - i;
  for (let k = 0; k < size; k++) {
    const p1 = knots[i * size + k];
    const p2 = knots[(i + 1) * size + k];
    if (plan.interpolation === 'zoh') out[k] = f < 1 ? p1 : p2;
    else if (plan.interpolation === 'linear') out[k] = p1 + (p2 - p1) * f;
    else {
      // Catmull-Rom through the knots, end tangents from one-sided differences.
      const p0 = i > 0 ? knots[(i - 1) * size + k] : 2 * p1 - p2;
      const p3 = i + 2 < count ? knots[(i + 2) * size + k] : 2 * p2 - p1;
      const f2 = f * f;
      const f3 = f2 * f;
      out[k] = 0.5 * (2 * p1 + (p2 - p0) * f + (2 * p0 - 5 * p1 + 4 * p2 - p3) * f2 + (3 * p1 - p0 - 3 * p2 + p3) * f3);
    }
  }
  return out;
}

/** Fills `out` (row-major [step][action]) with the plan sampled at `horizon` control steps, clamped to bounds. */
export function rasterise(plan: KnotPlan, dt: number, horizon: number, low: Float64Array, high: Float64Array, out: Float64Array): void {
  const row = new Float64Array(plan.size);
  for (let h = 0; h < horizon; h++) {
    evaluate(plan, plan.start + h * dt, row);
    for (let k = 0; k < plan.size; k++) out[h * plan.size + k] = Math.min(high[k], Math.max(low[k], row[k]));
  }
}

/** The same trajectory re-expressed from a later start time: the warm start of the next plan. */
export function shift(plan: KnotPlan, start: number): KnotPlan {
  const knots = new Float64Array(plan.knots.length);
  const row = new Float64Array(plan.size);
  for (let i = 0; i < plan.count; i++) {
    evaluate(plan, start + (plan.span * i) / Math.max(1, plan.count - 1), row);
    knots.set(row, i * plan.size);
  }
  return { ...plan, start, knots };
}

/** An immutable policy that follows a plan (clamped to the action bounds). */
export function planPolicy(plan: KnotPlan, low: Float64Array, high: Float64Array): Policy {
  const frozen: KnotPlan = { ...plan, knots: Float64Array.from(plan.knots) };
  return {
    action(time) {
      const a = evaluate(frozen, time);
      for (let k = 0; k < a.length; k++) a[k] = Math.min(high[k], Math.max(low[k], a[k]));
      return a;
    },
  };
}
