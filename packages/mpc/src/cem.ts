// Cross-entropy method: sample around a Gaussian, refit it to the elites, smooth the update.
import { definePlanner } from '@itinera/core';
import { z } from 'zod';
import { checkRolloutSize, samplingOptions } from './sampling-config.js';
import { argmin, createSamplingPlanner } from './sampling-planner.js';

const cemSchema = z
  .object({
    ...samplingOptions,
    iterations: samplingOptions.iterations.default(3),
    elites: z.number().int().min(1).default(6).describe('Samples kept to refit the distribution.'),
    smoothing: z.number().min(0).max(1).default(0.8).describe('Weight of the new fit against the old distribution (1: no smoothing).'),
    minStd: z.number().min(0).max(1).default(0.1).describe('Floor on the std, as a fraction of the initial noise, so the search never collapses.'),
  })
  .strict()
  .superRefine(checkRolloutSize);

export const cemPlanner = definePlanner({
  name: 'cem',
  description: 'Cross-entropy method over the plan knots: elites refit a Gaussian each iteration.',
  schema: cemSchema,
  defaults: cemSchema.parse({}),
  needsModel: true,
  create: (config, context) =>
    createSamplingPlanner('cem', config, context, ({ scale }) => {
      let mean: Float64Array = new Float64Array(0);
      let std: Float64Array = new Float64Array(0);
      let best: Float64Array = new Float64Array(0);
      let bestCost = Infinity;
      return {
        begin: (nominal) => {
          mean = Float64Array.from(nominal);
          std = Float64Array.from(scale);
          best = mean;
          bestCost = Infinity;
        },
        propose: (n, rng) => [Float64Array.from(mean), ...Array.from({ length: n - 1 }, () => Float64Array.from(mean, (m, i) => m + std[i] * rng.normal()))],
        update: (candidates, costs) => {
          const order = Array.from(costs.keys()).sort((a, b) => costs[a] - costs[b]);
          const elites = order.slice(0, Math.min(config.elites, candidates.length)).map((i) => candidates[i]);
          const i0 = argmin(costs);
          if (costs[i0] < bestCost) {
            bestCost = costs[i0];
            best = candidates[i0];
          }
          for (let k = 0; k < mean.length; k++) {
            let m = 0;
            for (const e of elites) m += e[k];
            m /= elites.length;
            let v = 0;
            for (const e of elites) v += (e[k] - m) ** 2;
            const s = Math.sqrt(v / elites.length);
            mean[k] = config.smoothing * m + (1 - config.smoothing) * mean[k];
            std[k] = Math.max(config.minStd * scale[k], config.smoothing * s + (1 - config.smoothing) * std[k]);
          }
        },
        result: () => best,
      };
    }),
});
