// The loop every sampling optimiser shares: propose knot vectors, roll them out on the model,
// let the optimiser update, hand out the best plan as an immutable policy.
import { ItineraError, type DynamicsModel, type Planner, type PlannerContext, type PlanRequest, type Policy, type Rng } from '@itinera/core';
import { rasterise } from './action-plan.js';
import { KnotPlans } from './knot-plans.js';
import { effectiveSamples, type SamplingConfig } from './sampling-config.js';

/** One optimiser's rule for turning costs into a new nominal plan. */
export interface Optimiser {
  /** Called once per plan with the warm-started nominal. */
  begin(nominal: Float64Array): void;
  /** `n` candidate knot vectors for this iteration (candidate 0 should be the current nominal). */
  propose(n: number, rng: Rng): Float64Array[];
  /** Takes the candidates' total costs; returns nothing, updates internal state. */
  update(candidates: Float64Array[], costs: Float64Array): void;
  /** The plan to hand out after the last iteration. */
  result(): Float64Array;
}

export interface SamplingPlanner extends Planner {
  /** Rollout steps one plan costs: samples × horizon × iterations. */
  readonly budget: number;
  /** Total sampled cost of the plan handed out last. */
  readonly lastCost: number;
}

export function createSamplingPlanner(
  name: string,
  config: SamplingConfig,
  context: PlannerContext,
  makeOptimiser: (bounds: { low: Float64Array; high: Float64Array; scale: Float64Array }) => Optimiser,
): SamplingPlanner {
  const model = requireModel(name, context.model);
  const { low, high, size } = context.actionSpec;
  const { horizon, iterations } = config;
  const samples = effectiveSamples(config);
  const dt = context.controlDt;
  const plans = new KnotPlans(name, config, low, high, dt, context.rng, context.actionSpec.neutral);
  const { knotLow, knotHigh } = plans;
  const baseScale = Float64Array.from(knotLow, (l, i) => ((knotHigh[i] - l) / 2) * config.noise);
  // The optimiser keeps this array: a plan asking for more exploration rescales it in place.
  const scale = Float64Array.from(baseScale);
  let exploring = 1;
  const optimiser = makeOptimiser({ low: knotLow, high: knotHigh, scale });
  const actions = new Float64Array(samples * horizon * size);
  let lastCost = NaN;

  return {
    name,
    budget: samples * horizon * iterations,
    get lastCost() {
      return lastCost;
    },
    async plan(request: PlanRequest): Promise<Policy> {
      if (!request.snapshot) throw new Error(`${name}: the plan request carries no snapshot to roll out from`);
      const factor = request.exploration ?? 1;
      if (!(factor > 0)) throw new ItineraError(`${name}: exploration must be a positive factor, got ${factor}`);
      if (factor !== exploring) {
        exploring = factor;
        for (let i = 0; i < scale.length; i++) scale[i] = baseScale[i] * factor;
      }
      optimiser.begin(plans.nominal(request.time));
      for (let it = 0; it < iterations; it++) {
        const candidates = optimiser.propose(samples, plans.rng);
        candidates.forEach((c, b) => {
          plans.clamp(c);
          rasterise(plans.at(c, request.time), dt, horizon, low, high, actions.subarray(b * horizon * size, (b + 1) * horizon * size));
        });
        const { costs } = await model.rollout(request.snapshot, actions.subarray(0, candidates.length * horizon * size), candidates.length, horizon);
        const totals = new Float64Array(candidates.length);
        for (let b = 0; b < candidates.length; b++) for (let h = 0; h < horizon; h++) totals[b] += costs[b * horizon + h];
        optimiser.update(candidates, totals);
        lastCost = Math.min(...totals);
      }
      const { plan: best, policy } = plans.handOut(plans.clamp(Float64Array.from(optimiser.result())), request.time);
      if (!model.trace) return policy;
      // The plan rolled out once more on the model, only when a viewer asks: the ghost path of a replay.
      const { snapshot } = request;
      return {
        ...policy,
        predictedPath() {
          const sequence = new Float64Array(horizon * size);
          rasterise(best, dt, horizon, low, high, sequence);
          return model.trace!(snapshot, sequence, horizon);
        },
      };
    },
    reset: (seed) => plans.reset(seed),
    dispose: () => plans.dispose(),
  };
}

export function requireModel(name: string, model: DynamicsModel | undefined): DynamicsModel {
  if (!model) throw new ItineraError(`planner '${name}' needs a model to roll out on (the simulator or --model DIR)`);
  return model;
}

/** nominal + scale · N(0, 1), one fresh vector. */
export function perturb(nominal: Float64Array, scale: Float64Array, rng: Rng): Float64Array {
  return Float64Array.from(nominal, (v, i) => v + scale[i] * rng.normal());
}

/** Index of the smallest value (the first on ties). */
export function argmin(values: Float64Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] < values[best]) best = i;
  return best;
}
