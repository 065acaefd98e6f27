import { z } from 'zod';

/** Options every sampling planner shares; each planner extends them with its own. */
export const samplingOptions = {
  horizon: z.number().int().min(1).max(1000).default(25).describe('Control steps the plan looks ahead.'),
  samples: z.number().int().min(1).max(100000).default(64).describe('Action sequences evaluated per iteration.'),
  iterations: z.number().int().min(1).max(100).default(1).describe('Optimisation iterations per plan.'),
  // When set, `samples` is derived from it so planners compared in a benchmark spend equal compute.
  budget: z.number().int().positive().optional().describe('Rollout steps per plan (samples × horizon × iterations); when set, samples is derived from it.'),
  knots: z.number().int().min(1).max(100).default(4).describe('Knots of the action parameterisation over the horizon.'),
  interpolation: z.enum(['zoh', 'linear', 'spline']).default('spline').describe('How actions vary between knots: held (zoh), linear or spline.'),
  noise: z.number().positive().max(2).default(0.3).describe("Perturbation std as a fraction of each actuator's half-range."),
  warmStart: z.boolean().default(true).describe('Start from the previous plan shifted in time (else from zero).'),
};

export const samplingSchema = z.object(samplingOptions).strict();
export type SamplingConfig = z.infer<typeof samplingSchema>;

/** Samples per iteration after applying a compute budget. */
export function effectiveSamples(c: SamplingConfig): number {
  return c.budget ? Math.max(2, Math.floor(c.budget / (c.horizon * c.iterations))) : c.samples;
}
