// The episode API follows Gymnasium (reset/step, terminated vs truncated) so RL users feel at home;
// costs instead of rewards, as in model-predictive control.
import { ItineraError } from './errors.js';
import type { Frame } from './events.js';
import type { Subgoal } from './situation.js';
import type { RobotSpec, SceneSpec } from './spec.js';

/** A box of named channels: observations or actions. */
export interface BoxSpace {
  size: number;
  names: string[];
  low: Float64Array;
  high: Float64Array;
  /** Actions only: the action that asks nothing (zero torque; a position servo's start target). Absent: zeros. */
  neutral?: Float64Array;
}

export interface StepInfo {
  /** Simulated seconds since reset. */
  time: number;
  /** Control steps since reset. */
  step: number;
  success: boolean;
  /** Why the episode ended badly: 'invalid-action', 'diverged', 'timeout', or a task's own reason. */
  failure?: string;
  /** Human-readable detail of the failure (which action value was invalid…). */
  failureDetail?: string;
  /** Weighted value of each cost term this step. */
  costTerms: Record<string, number>;
  /** The guardrail terms among them. */
  guardrails: Record<string, number>;
  /** The action actually applied, after clamping to the actuator limits. */
  appliedAction?: number[];
}

export interface ResetResult {
  observation: Float64Array;
  info: StepInfo;
}

export interface StepResult {
  observation: Float64Array;
  cost: number;
  /** The task ended: success, failure or an invalid action. */
  terminated: boolean;
  /** Cut short from outside the task (a time limit). */
  truncated: boolean;
  info: StepInfo;
}

/** What a replay viewer draws of an env; simulated envs offer it. */
export interface EnvView {
  /** The robot and the scene as described. */
  scene(): { robot: RobotSpec; scene: SceneSpec };
  /** Where the robot's links, the movable scene bodies and the markers are now. */
  frame(): Frame;
}

/** Opaque, immutable copy of everything that determines an env's future. */
export interface EnvSnapshot {
  readonly kind: string;
}

/** A wrapper's snapshot: its own state around the wrapped env's snapshot, kept whole under `inner`. */
export interface WrapperSnapshot extends EnvSnapshot {
  readonly inner: EnvSnapshot;
}

function isWrapperSnapshot(snapshot: EnvSnapshot): snapshot is WrapperSnapshot {
  const inner = (snapshot as Partial<WrapperSnapshot>).inner;
  return typeof inner === 'object' && inner !== null && typeof inner.kind === 'string';
}

/** The snapshot of the innermost env below every wrapper: what a simulator copy of that env restores. */
export function innermostSnapshot(snapshot: EnvSnapshot): EnvSnapshot {
  let s = snapshot;
  while (isWrapperSnapshot(s)) s = s.inner;
  return s;
}

/** Writes the level above's subgoal into a copy of a snapshot: the cost of the level below reads it there. */
export interface SubgoalWriter {
  /** A copy of `snapshot` whose task carries `subgoal` (undefined removes it); the live env is never touched. */
  withSubgoal(snapshot: EnvSnapshot, subgoal: Subgoal | undefined): EnvSnapshot;
}

export interface Env {
  /** Versioned scenario id, such as 'reach-v1'. */
  readonly id: string;
  readonly robotName: string;
  readonly observationSpec: BoxSpace;
  readonly actionSpec: BoxSpace;
  /** Seconds per control step. */
  readonly controlDt: number;
  /** Present on envs a replay viewer can draw. */
  readonly view?: EnvView;
  reset(options?: { seed?: number }): ResetResult;
  step(action: ArrayLike<number>): StepResult;
  snapshot(): EnvSnapshot;
  restore(snapshot: EnvSnapshot): void;
  /** Present on envs whose tasks read a subgoal (see SubgoalWriter); wrappers rewrite their own snapshots. */
  withSubgoal?(snapshot: EnvSnapshot, subgoal: Subgoal | undefined): EnvSnapshot;
  /** Releases WebAssembly memory; the env is unusable afterwards. */
  free(): void;
}

/** The env as a SubgoalWriter; an env that cannot take subgoals is one clear error. */
export function subgoalWriter(env: Env): SubgoalWriter {
  const write = env.withSubgoal?.bind(env);
  if (!write) throw new ItineraError(`${env.id}: this env cannot take a subgoal from a level above`);
  return { withSubgoal: write };
}

/** Checks an action's shape and values; returns the reason it is invalid or undefined. */
export function invalidActionReason(action: ArrayLike<number> | null | undefined, size: number): string | undefined {
  if (action == null || typeof action.length !== 'number') return 'action is not an array';
  if (action.length !== size) return `action has ${action.length} values, expected ${size}`;
  for (let i = 0; i < size; i++) {
    if (typeof action[i] !== 'number' || !Number.isFinite(action[i])) return `action[${i}] is ${action[i]}`;
  }
  return undefined;
}

export function clampToSpace(action: ArrayLike<number>, space: BoxSpace, out: Float64Array = new Float64Array(space.size)): Float64Array {
  for (let i = 0; i < space.size; i++) out[i] = Math.min(space.high[i], Math.max(space.low[i], action[i]));
  return out;
}

/**
 * Gymnasium's Wrapper: forwards everything to the wrapped env (its view too, so replays still draw the scene);
 * a wrapper overrides only what it changes.
 */
export class EnvWrapper<E extends Env = Env> implements Env {
  constructor(readonly inner: E) {}

  get id(): string { return this.inner.id; }
  get robotName(): string { return this.inner.robotName; }
  get observationSpec(): BoxSpace { return this.inner.observationSpec; }
  get actionSpec(): BoxSpace { return this.inner.actionSpec; }
  get controlDt(): number { return this.inner.controlDt; }
  get view(): EnvView | undefined { return this.inner.view; }
  reset(options?: { seed?: number }): ResetResult { return this.inner.reset(options); }
  step(action: ArrayLike<number>): StepResult { return this.inner.step(action); }
  snapshot(): EnvSnapshot { return this.inner.snapshot(); }
  restore(snapshot: EnvSnapshot): void { this.inner.restore(snapshot); }
  /** A wrapper that keeps the inner snapshot as its own forwards; one with a WrapperSnapshot overrides this. */
  withSubgoal(snapshot: EnvSnapshot, subgoal: Subgoal | undefined): EnvSnapshot { return subgoalWriter(this.inner).withSubgoal(snapshot, subgoal); }
  free(): void { this.inner.free(); }
}
