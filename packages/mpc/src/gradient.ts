// Adam on the plan's knots through a differentiable model: the model returns d(cost)/d(actions), the knots map
// linearly to actions (every interpolation is linear in its knots), so d(cost)/d(knots) = Mᵀ · gradient. Several
// starts (the warm start plus perturbations) run side by side in one batch; the cheapest plan wins.
import { definePlanner, isDifferentiableModel, ItineraError, type DifferentiableModel, type Planner, type PlanRequest, type Policy, type Rng } from '@itinera/core';
import { z } from 'zod';
import { evaluate, type KnotPlan } from './action-plan.js';
import { KnotPlans } from './knot-plans.js';
import { samplingOptions } from './sampling-config.js';
import { requireModel } from './sampling-planner.js';

const gradientSchema = z
  .object({
    horizon: samplingOptions.horizon,
    iterations: samplingOptions.iterations.default(20),
    knots: samplingOptions.knots,
    interpolation: samplingOptions.interpolation,
    warmStart: samplingOptions.warmStart,
    learningRate: z.number().positive().default(0.05).describe("Adam step, as a fraction of each actuator's half-range."),
    starts: z.number().int().min(1).max(1024).default(8).describe('Plans optimised side by side: the warm start and perturbations of it.'),
    noise: samplingOptions.noise.describe("Perturbation std of the extra starts, as a fraction of each actuator's half-range."),
  })
  .strict();
type GradientConfig = z.infer<typeof gradientSchema>;

export const gradientPlanner = definePlanner({
  name: 'gradient',
  description: 'Adam on the action sequence through a differentiable world model (learned models only).',
  schema: gradientSchema,
  defaults: gradientSchema.parse({}),
  needsModel: true,
  capabilities: ['differentiable-model'],
  create: (config, context) => {
    const model = requireModel('gradient', context.model);
    if (!isDifferentiableModel(model)) {
      throw new ItineraError(
        `planner 'gradient' needs a differentiable model, and the ${model.kind} is not; train a world model and pass --model DIR, or use mppi, cem or predictive-sampling`,
      );
    }
    return createGradientPlanner(config, model, context.actionSpec.low, context.actionSpec.high, context.controlDt, context.rng, context.actionSpec.neutral);
  },
});

/** M[h][i]: weight of knot i in the action at step h (the same for every actuator). */
function interpolationMatrix(config: GradientConfig, span: number, dt: number): Float64Array {
  const { horizon, knots: count, interpolation } = config;
  const m = new Float64Array(horizon * count);
  for (let i = 0; i < count; i++) {
    const unit = new Float64Array(count);
    unit[i] = 1;
    const plan: KnotPlan = { start: 0, span, knots: unit, count, size: 1, interpolation };
    for (let h = 0; h < horizon; h++) m[h * count + i] = evaluate(plan, h * dt)[0];
  }
  return m;
}

function createGradientPlanner(config: GradientConfig, model: DifferentiableModel, low: Float64Array, high: Float64Array, dt: number, contextRng: Rng, neutral?: Float64Array): Planner {
  const { horizon, knots: count, starts, iterations } = config;
  const plans = new KnotPlans('gradient', config, low, high, dt, contextRng, neutral);
  const { size, length: n } = plans;
  const m = interpolationMatrix(config, plans.span, dt);
  const half = Float64Array.from(low, (l, k) => (high[k] - l) / 2);
  const clampKnot = (v: number, k: number) => Math.min(high[k], Math.max(low[k], v));

  /** Actions of every start, [start][step][actuator], clamped; `inside` marks the entries the clamp left alone. */
  const rasteriseAll = (knots: Float64Array[], actions: Float64Array, inside: Uint8Array) => {
    knots.forEach((kv, s) => {
      for (let h = 0; h < horizon; h++) {
        for (let k = 0; k < size; k++) {
          let v = 0;
          for (let i = 0; i < count; i++) v += m[h * count + i] * kv[i * size + k];
          const j = (s * horizon + h) * size + k;
          actions[j] = clampKnot(v, k);
          inside[j] = actions[j] === v ? 1 : 0;
        }
      }
    });
  };

  return {
    name: 'gradient',
    async plan(request: PlanRequest): Promise<Policy> {
      const start = request.snapshot ?? request.observation;
      const nominal = plans.nominal(request.time);
      const rng = plans.rng;
      const knots = Array.from({ length: starts }, (_, s) => Float64Array.from(nominal, (v, j) => clampKnot(s === 0 ? v : v + config.noise * half[j % size] * rng.normal(), j % size)));
      const adamM = knots.map(() => new Float64Array(n));
      const adamV = knots.map(() => new Float64Array(n));
      const actions = new Float64Array(starts * horizon * size);
      const inside = new Uint8Array(actions.length);
      let best = Float64Array.from(knots[0]);
      let bestCost = Infinity;
      for (let it = 0; it <= iterations; it++) {
        rasteriseAll(knots, actions, inside);
        // The last pass only scores the final iterates.
        if (it === iterations) {
          const { costs } = await model.rollout(start, actions, starts, horizon);
          for (let s = 0; s < starts; s++) {
            let total = 0;
            for (let h = 0; h < horizon; h++) total += costs[s * horizon + h];
            if (total < bestCost) [bestCost, best] = [total, Float64Array.from(knots[s])];
          }
          break;
        }
        const { costs, gradient } = await model.costGradient(start, actions, starts, horizon);
        const t = it + 1;
        for (let s = 0; s < starts; s++) {
          if (costs[s] < bestCost) [bestCost, best] = [costs[s], Float64Array.from(knots[s])];
          for (let i = 0; i < count; i++) {
            for (let k = 0; k < size; k++) {
              // Chain rule through the interpolation, in units of the half-range; clamped actions pass no gradient.
              let g = 0;
              for (let h = 0; h < horizon; h++) {
                const j = (s * horizon + h) * size + k;
                if (inside[j]) g += m[h * count + i] * gradient[j];
              }
              g *= half[k];
              const j = i * size + k;
              adamM[s][j] = 0.9 * adamM[s][j] + 0.1 * g;
              adamV[s][j] = 0.999 * adamV[s][j] + 0.001 * g * g;
              const step = (config.learningRate * (adamM[s][j] / (1 - 0.9 ** t))) / (Math.sqrt(adamV[s][j] / (1 - 0.999 ** t)) + 1e-8);
              knots[s][j] = clampKnot(knots[s][j] - step * half[k], k);
            }
          }
        }
      }
      return plans.handOut(best, request.time).policy;
    },
    reset: (seed) => plans.reset(seed),
    dispose: () => plans.dispose(),
  };
}
