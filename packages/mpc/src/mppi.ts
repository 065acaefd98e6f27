// Model-predictive path integral control: the nominal moves by the cost-weighted average perturbation.
import { definePlanner } from '@itinera/core';
import { z } from 'zod';
import { checkRolloutSize, samplingOptions } from './sampling-config.js';
import { createSamplingPlanner, perturb } from './sampling-planner.js';

const mppiSchema = z
  .object({
    ...samplingOptions,
    temperature: z.number().positive().default(0.3).describe('Temperature, relative to the std of the sampled costs: lower is greedier.'),
  })
  .strict()
  .superRefine(checkRolloutSize);

export const mppiPlanner = definePlanner({
  name: 'mppi',
  description: 'MPPI: Gaussian perturbations averaged with exp(-cost/temperature) weights.',
  schema: mppiSchema,
  defaults: mppiSchema.parse({}),
  needsModel: true,
  create: (config, context) =>
    createSamplingPlanner('mppi', config, context, ({ scale }) => {
      let nominal: Float64Array = new Float64Array(0);
      return {
        begin: (n) => {
          nominal = Float64Array.from(n);
        },
        propose: (n, rng) => [Float64Array.from(nominal), ...Array.from({ length: n - 1 }, () => perturb(nominal, scale, rng))],
        update: (candidates, costs) => {
          const min = Math.min(...costs);
          const mean = costs.reduce((s, c) => s + c, 0) / costs.length;
          const spread = Math.sqrt(costs.reduce((s, c) => s + (c - mean) ** 2, 0) / costs.length) || 1;
          const weights = Float64Array.from(costs, (c) => Math.exp(-(c - min) / (config.temperature * spread)));
          const total = weights.reduce((s, w) => s + w, 0);
          const next = new Float64Array(nominal.length);
          candidates.forEach((c, b) => {
            const w = weights[b] / total;
            for (let k = 0; k < next.length; k++) next[k] += w * c[k];
          });
          nominal = next;
        },
        result: () => nominal,
      };
    }),
});
