// MuJoCo MPC's predictive sampling: the nominal plus Gaussian perturbations; keep the best.
import { definePlanner } from '@itinera/core';
import { samplingSchema } from './sampling-config.js';
import { argmin, createSamplingPlanner, perturb } from './sampling-planner.js';

export const predictiveSamplingPlanner = definePlanner({
  name: 'predictive-sampling',
  description: 'Nominal plan plus Gaussian perturbations of its knots; keeps the cheapest (MuJoCo MPC).',
  schema: samplingSchema,
  defaults: samplingSchema.parse({}),
  needsModel: true,
  create: (config, context) =>
    createSamplingPlanner('predictive-sampling', config, context, ({ scale }) => {
      let best: Float64Array = new Float64Array(0);
      return {
        begin: (nominal) => {
          best = nominal;
        },
        propose: (n, rng) => [Float64Array.from(best), ...Array.from({ length: n - 1 }, () => perturb(best, scale, rng))],
        update: (candidates, costs) => {
          best = candidates[argmin(costs)];
        },
        result: () => best,
      };
    }),
});
