// Adam on the action sequence through a differentiable model. The simulator is not differentiable,
// so on it this planner refuses at creation with a clear message; learned models make it usable.
import { definePlanner, ItineraError } from '@itinera/core';
import { z } from 'zod';
import { samplingOptions } from './sampling-config.js';
import { requireModel } from './sampling-planner.js';

const gradientSchema = z
  .object({
    horizon: samplingOptions.horizon,
    iterations: samplingOptions.iterations.default(20),
    knots: samplingOptions.knots,
    interpolation: samplingOptions.interpolation,
    warmStart: samplingOptions.warmStart,
    learningRate: z.number().positive().default(0.05),
  })
  .strict();

export const gradientPlanner = definePlanner({
  name: 'gradient',
  description: 'Adam on the action sequence through a differentiable world model (learned models only).',
  schema: gradientSchema,
  defaults: gradientSchema.parse({}),
  needsModel: true,
  create: (_config, context) => {
    const model = requireModel('gradient', context.model);
    if (!model.differentiable) {
      throw new ItineraError(
        `planner 'gradient' needs a differentiable model, and the ${model.kind} is not; train a world model and pass --model DIR, or use mppi, cem or predictive-sampling`,
      );
    }
    throw new ItineraError("planner 'gradient' on learned models arrives with the world-model package");
  },
});
