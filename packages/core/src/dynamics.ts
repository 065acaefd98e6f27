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

export interface DynamicsModel<Start = unknown> {
  readonly kind: 'simulator' | 'learned';
  readonly differentiable: boolean;
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
