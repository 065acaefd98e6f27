// A pure-TypeScript point mass on a plane: fast enough to test planners in milliseconds, with the
// same Env and DynamicsModel contracts as the Rapier scenarios.
import {
  clampToSpace,
  invalidActionReason,
  Rng,
  sumCost,
  totalCost,
  type BoxSpace,
  type CostTerm,
  type DynamicsModel,
  type Env,
  type EnvSnapshot,
  type ResetResult,
  type RolloutResult,
  type StepInfo,
  type StepResult,
} from '@itinera/core';

const DT = 0.05;
const DAMPING = 0.5;
const MAX_FORCE = 1;
const TOLERANCE = 0.05;
const SETTLE_SPEED = 0.1;
const COST_TERMS: CostTerm[] = [
  { name: 'goal', norm: 'smooth-l2', weight: 1, p: 0.05 },
  { name: 'velocity', norm: 'quadratic', weight: 0.05 },
  { name: 'effort', norm: 'quadratic', weight: 0.01, guardrail: true },
];

interface PointMassState {
  p: [number, number];
  v: [number, number];
  goal: [number, number];
  step: number;
  ended: boolean;
}

interface PointMassSnapshot extends EnvSnapshot {
  readonly kind: 'point-mass';
  readonly state: PointMassState;
}

function advance(s: PointMassState, force: ArrayLike<number>): void {
  for (let i = 0; i < 2; i++) {
    s.v[i] += (force[i] - DAMPING * s.v[i]) * DT;
    s.p[i] += s.v[i] * DT;
  }
  s.step++;
}

function residuals(s: PointMassState, force: ArrayLike<number>) {
  return { goal: [s.p[0] - s.goal[0], s.p[1] - s.goal[1]], velocity: s.v, effort: [force[0], force[1]] };
}

function succeeded(s: PointMassState): boolean {
  return Math.hypot(s.p[0] - s.goal[0], s.p[1] - s.goal[1]) < TOLERANCE && Math.hypot(s.v[0], s.v[1]) < SETTLE_SPEED;
}

const box = (names: string[], bound: number): BoxSpace => ({
  size: names.length,
  names,
  low: new Float64Array(names.length).fill(-bound),
  high: new Float64Array(names.length).fill(bound),
});

export class PointMassEnv implements Env {
  readonly id = 'point-mass-v1';
  readonly robotName = 'point-mass';
  readonly observationSpec = box(['x', 'y', 'vx', 'vy', 'goal.x', 'goal.y'], Infinity);
  readonly actionSpec = box(['fx', 'fy'], MAX_FORCE);
  readonly controlDt = DT;
  /** Steps taken on this instance: tests use it to prove planners never touch the live env. */
  stepCalls = 0;
  private rng = new Rng(0);
  private s: PointMassState = { p: [0, 0], v: [0, 0], goal: [0, 0], step: 0, ended: true };

  constructor(readonly maxSteps = 200) {}

  reset(options: { seed?: number } = {}): ResetResult {
    if (options.seed !== undefined) this.rng = new Rng(options.seed);
    const angle = this.rng.uniform(-Math.PI, Math.PI);
    const r = this.rng.uniform(0.5, 1.5);
    this.s = { p: [0, 0], v: [0, 0], goal: [r * Math.cos(angle), r * Math.sin(angle)], step: 0, ended: false };
    return { observation: this.observe(), info: this.info(false) };
  }

  step(action: ArrayLike<number>): StepResult {
    if (this.s.ended) throw new Error('point-mass: step() after the episode ended; call reset() first');
    this.stepCalls++;
    const invalid = invalidActionReason(action, 2);
    if (invalid) {
      this.s.ended = true;
      return { observation: this.observe(), cost: 0, terminated: true, truncated: false, info: { ...this.info(false, 'invalid-action'), failureDetail: invalid } };
    }
    const force = clampToSpace(action, this.actionSpec);
    advance(this.s, force);
    const cost = sumCost(COST_TERMS, residuals(this.s, force));
    const success = succeeded(this.s);
    const truncated = !success && this.s.step >= this.maxSteps;
    this.s.ended = success || truncated;
    return {
      observation: this.observe(),
      cost: cost.total,
      terminated: success,
      truncated,
      info: { ...this.info(success, truncated ? 'timeout' : undefined), costTerms: cost.terms, guardrails: cost.guardrails, appliedAction: Array.from(force) },
    };
  }

  snapshot(): PointMassSnapshot {
    return { kind: 'point-mass', state: structuredClone(this.s) };
  }

  restore(snapshot: EnvSnapshot): void {
    this.s = structuredClone((snapshot as PointMassSnapshot).state);
  }

  free(): void {}

  private observe(): Float64Array {
    return Float64Array.from([...this.s.p, ...this.s.v, ...this.s.goal]);
  }

  private info(success: boolean, failure?: string): StepInfo {
    return { time: this.s.step * DT, step: this.s.step, success, ...(failure ? { failure } : {}), costTerms: {}, guardrails: {} };
  }
}

/** The point mass's exact dynamics as a batched DynamicsModel over PointMassEnv snapshots. */
export class PointMassModel implements DynamicsModel<EnvSnapshot> {
  readonly kind = 'simulator' as const;
  readonly differentiable = false;

  rollout(start: EnvSnapshot, actions: Float64Array, batch: number, horizon: number): RolloutResult {
    const costs = new Float64Array(batch * horizon);
    const origin = (start as PointMassSnapshot).state;
    const force = new Float64Array(2);
    for (let b = 0; b < batch; b++) {
      const s = structuredClone(origin);
      for (let h = 0; h < horizon; h++) {
        const o = (b * horizon + h) * 2;
        for (let i = 0; i < 2; i++) force[i] = Math.min(MAX_FORCE, Math.max(-MAX_FORCE, actions[o + i]));
        advance(s, force);
        costs[b * horizon + h] = totalCost(COST_TERMS, residuals(s, force));
      }
    }
    return { costs };
  }

  free(): void {}
}
