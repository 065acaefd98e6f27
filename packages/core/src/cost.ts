// Tasks write residuals; the terms that weigh them are data; this file is the one place they are summed.

export type Norm = 'quadratic' | 'smooth-l2' | 'l1';

export interface CostTerm {
  /** Name of the residual this term weighs. */
  name: string;
  norm: Norm;
  weight: number;
  /** Smoothing scale of 'smooth-l2' (sqrt(|r|² + p²) − p). */
  p?: number;
  /** Guardrail terms (limits, collisions, effort, speed, keep-out) are reported separately. */
  guardrail?: boolean;
}

export type Residuals = Record<string, ArrayLike<number>>;

export interface CostBreakdown {
  total: number;
  terms: Record<string, number>;
  /** Guardrail terms only, so a run can say which guardrail it came close to. */
  guardrails: Record<string, number>;
}

export function applyNorm(norm: Norm, r: ArrayLike<number>, p = 0.1): number {
  let sq = 0;
  let abs = 0;
  for (let i = 0; i < r.length; i++) {
    sq += r[i] * r[i];
    abs += Math.abs(r[i]);
  }
  switch (norm) {
    case 'quadratic':
      return 0.5 * sq;
    case 'smooth-l2':
      return Math.sqrt(sq + p * p) - p;
    case 'l1':
      return abs;
  }
}

/** Weighted sum of the residuals' norms; a term whose residual is missing is an error in the task. */
export function sumCost(terms: readonly CostTerm[], residuals: Residuals): CostBreakdown {
  const breakdown: CostBreakdown = { total: 0, terms: {}, guardrails: {} };
  for (const term of terms) {
    const r = residuals[term.name];
    if (r === undefined) throw new Error(`cost term '${term.name}' has no residual`);
    const value = term.weight * applyNorm(term.norm, r, term.p);
    breakdown.total += value;
    breakdown.terms[term.name] = value;
    if (term.guardrail) breakdown.guardrails[term.name] = value;
  }
  return breakdown;
}

/** Total only, for the inner loop of a planner. */
export function totalCost(terms: readonly CostTerm[], residuals: Residuals): number {
  let total = 0;
  for (const term of terms) total += term.weight * applyNorm(term.norm, residuals[term.name], term.p);
  return total;
}

/** Share of a joint's range, at each end, that the joint-limit guardrail charges for entering. */
export const JOINT_LIMIT_MARGIN = 0.05;

/** Base speed (m/s) above which the speed guardrail charges, unless the task sets its own speedCap. */
export const DEFAULT_SPEED_CAP = 3;

/** The joint-limit guardrail's residual: how far q lies inside the charged band at either end of [lower, upper]. */
export function jointLimitIntrusion(q: number, lower: number, upper: number): number {
  const margin = JOINT_LIMIT_MARGIN * (upper - lower);
  return Math.max(0, q - (upper - margin)) + Math.max(0, lower + margin - q);
}

/**
 * Guardrails every plan must respect, added to each task's own terms unless the task lists its own.
 * Residuals come from the env: joint-limit = intrusion into the last JOINT_LIMIT_MARGIN (5%) of a joint's range (rad or m);
 * collision = robot links touching a fixed obstacle (walls, fixtures; not the ground); speed = base
 * speed above the cap (m/s); keep-out = depth of the base inside regions marked keepOut (m);
 * effort = each actuator's command as a fraction of its limit. A task's own term of the same name wins.
 */
export const DEFAULT_GUARDRAILS: readonly CostTerm[] = Object.freeze([
  { name: 'effort', norm: 'quadratic', weight: 0.001, guardrail: true },
  { name: 'joint-limit', norm: 'quadratic', weight: 10, guardrail: true },
  { name: 'collision', norm: 'l1', weight: 1, guardrail: true },
  { name: 'speed', norm: 'quadratic', weight: 1, guardrail: true },
  { name: 'keep-out', norm: 'l1', weight: 10, guardrail: true },
] satisfies CostTerm[]);
