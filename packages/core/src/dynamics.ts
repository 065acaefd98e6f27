import type { Vec3 } from './spec.js';

/**
 * What planners roll out on: the simulator (an oracle) or a learned model. Batched, so one
 * call imagines many action sequences.
 */
export interface RolloutResult {
  /** Cost per sample and step, row-major [batch][horizon]. */
  costs: Float64Array;
  /** Whether a sample diverged or ended its task before the horizon (its later costs are held). */
  terminated?: Uint8Array;
}

/** What a model is: a copy of the simulator, a network trained on experience, or hand-written equations. */
export type ModelKind = 'simulator' | 'learned' | 'analytic';

/**
 * A learned model's surprise at what just happened: its one-step prediction from the previous observation and the
 * action applied vs. its encoding of the observation that arrived, in its own latent space. A model that offers it
 * declares level-0 surprise (DynamicsModel.surprise); the runtime replans on it.
 */
export interface OneStepSurprise {
  /** Replan when the error exceeds this. */
  readonly threshold: number;
  /** Control steps between the replans it causes, so one disturbance gives one replan, not a burst. */
  readonly cooldown: number;
  error(previous: Float64Array, action: Float64Array, observed: Float64Array): number;
}

export interface DynamicsModel<Start = unknown> {
  readonly kind: ModelKind;
  readonly differentiable: boolean;
  /** What computes its rollouts, for run reports ('rapier', 'typescript'); a --model's tfjs backend is the run's. */
  readonly backend?: string;
  /** Present on learned models that can say how surprised they are by each control step. */
  readonly surprise?: OneStepSurprise;
  /**
   * Rolls `batch` action sequences of `horizon` steps from `start`.
   * `actions` is row-major [batch][horizon][actionSize].
   */
  rollout(start: Start, actions: Float64Array, batch: number, horizon: number): RolloutResult | Promise<RolloutResult>;
  /**
   * World positions of the end effector (else the base) after each of `horizon` steps of one action sequence
   * (`actions` is [horizon][actionSize]): what the model predicts a plan does, for replay viewers. Optional.
   */
  trace?(start: Start, actions: Float64Array, horizon: number): Vec3[];
  free(): void;
}
