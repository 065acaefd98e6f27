// What the gradient planner needs beyond rollouts: the cost's gradient with respect to the actions. Learned models
// provide it (through TensorFlow.js, inside their own package), so planners stay free of any tensor library.
import type { DynamicsModel } from './dynamics.js';
import type { EnvSnapshot } from './env.js';

export interface CostGradient {
  /** Total cost of each sample over the horizon, [batch]. */
  costs: Float64Array;
  /** d(total cost of its sample) / d(action), row-major [batch][horizon][actionSize], like the actions. */
  gradient: Float64Array;
}

export interface DifferentiableModel<Start = unknown> extends DynamicsModel<Start> {
  readonly differentiable: true;
  /** Rolls the sequences out like `rollout` and differentiates each sample's total cost by its actions. */
  costGradient(start: Start, actions: Float64Array, batch: number, horizon: number): CostGradient | Promise<CostGradient>;
}

export function isDifferentiableModel<S>(model: DynamicsModel<S>): model is DifferentiableModel<S> {
  return model.differentiable && typeof (model as Partial<DifferentiableModel<S>>).costGradient === 'function';
}

/** A snapshot that also carries the observation it was taken at: what a learned model starts from. */
export interface ObservedSnapshot extends EnvSnapshot {
  readonly observation: Float64Array;
}

export function snapshotObservation(start: unknown): Float64Array | undefined {
  if (start instanceof Float64Array) return start;
  const observation = (start as Partial<ObservedSnapshot> | null)?.observation;
  return observation instanceof Float64Array ? observation : undefined;
}
