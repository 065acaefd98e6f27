// The loop every sampling optimiser shares: propose knot vectors, roll them out on the model,
// let the optimiser update, hand out the best plan as an immutable policy.
import { ItineraError, Rng, type DynamicsModel, type Planner, type PlannerContext, type PlanRequest, type Policy } from '@itinera/core';
import { planPolicy, rasterise, shift, type KnotPlan } from './action-plan.js';
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
  const { horizon, iterations, knots: count, interpolation } = config;
  const samples = effectiveSamples(config);
  const dt = context.controlDt;
  const span = (horizon - 1) * dt;
  // Bounds per knot entry, so optimisers perturb and clamp knot vectors directly.
  const knotLow = tile(low, count);
  const knotHigh = tile(high, count);
  const scale = Float64Array.from(knotLow, (l, i) => ((knotHigh[i] - l) / 2) * config.noise);
  const optimiser = makeOptimiser({ low: knotLow, high: knotHigh, scale });
  const actions = new Float64Array(samples * horizon * size);
  let rng = context.rng.fork(name);
  let previous: KnotPlan | undefined;
  let lastCost = NaN;

  const toPlan = (knots: Float64Array, start: number): KnotPlan => ({ start, span, knots, count, size, interpolation });

  return {
    name,
    budget: samples * horizon * iterations,
    get lastCost() {
      return lastCost;
    },
    async plan(request: PlanRequest): Promise<Policy> {
      if (!request.snapshot) throw new Error(`${name}: the plan request carries no snapshot to roll out from`);
      const nominal = previous && config.warmStart ? shift(previous, request.time).knots : new Float64Array(count * size);
      optimiser.begin(nominal);
      for (let it = 0; it < iterations; it++) {
        const candidates = optimiser.propose(samples, rng);
        candidates.forEach((c, b) => {
          clampInto(c, knotLow, knotHigh);
          rasterise(toPlan(c, request.time), dt, horizon, low, high, actions.subarray(b * horizon * size, (b + 1) * horizon * size));
        });
        const { costs } = await model.rollout(request.snapshot, actions.subarray(0, candidates.length * horizon * size), candidates.length, horizon);
        const totals = new Float64Array(candidates.length);
        for (let b = 0; b < candidates.length; b++) for (let h = 0; h < horizon; h++) totals[b] += costs[b * horizon + h];
        optimiser.update(candidates, totals);
        lastCost = Math.min(...totals);
      }
      previous = toPlan(clampInto(Float64Array.from(optimiser.result()), knotLow, knotHigh), request.time);
      const policy = planPolicy(previous, low, high);
      if (!model.trace) return policy;
      // The plan rolled out once more on the model, only when a viewer asks: the ghost path of a replay.
      const { snapshot } = request;
      const best = previous;
      return {
        ...policy,
        predictedPath() {
          const sequence = new Float64Array(horizon * size);
          rasterise(best, dt, horizon, low, high, sequence);
          return model.trace!(snapshot, sequence, horizon);
        },
      };
    },
    reset(seed: number) {
      rng = new Rng(seed).fork(name);
      previous = undefined;
    },
    dispose() {
      previous = undefined;
    },
  };
}

export function requireModel(name: string, model: DynamicsModel | undefined): DynamicsModel {
  if (!model) throw new ItineraError(`planner '${name}' needs a model to roll out on (the simulator or --model DIR)`);
  return model;
}

function tile(values: Float64Array, times: number): Float64Array {
  const out = new Float64Array(values.length * times);
  for (let i = 0; i < times; i++) out.set(values, i * values.length);
  return out;
}

function clampInto(v: Float64Array, low: Float64Array, high: Float64Array): Float64Array {
  for (let i = 0; i < v.length; i++) v[i] = Math.min(high[i], Math.max(low[i], v[i]));
  return v;
}

/** nominal + scale · N(0, 1), one fresh vector. */
export function perturb(nominal: Float64Array, scale: Float64Array, rng: Rng): Float64Array {
  return Float64Array.from(nominal, (v, i) => v + scale[i] * rng.normal());
}
