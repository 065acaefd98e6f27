import { z } from 'zod';

/** Options every sampling planner shares; each planner extends them with its own. */
export const samplingOptions = {
  /** Control steps the plan looks ahead. */
  horizon: z.number().int().min(1).max(1000).default(25),
  /** Action sequences evaluated per iteration. */
  samples: z.number().int().min(1).max(100000).default(64),
  iterations: z.number().int().min(1).max(100).default(1),
  /**
   * Rollout steps per plan (samples × horizon × iterations). When set, `samples` is derived from it so
   * planners compared in a benchmark spend equal compute.
   */
  budget: z.number().int().positive().optional(),
  /** Knots of the action parameterisation over the horizon. */
  knots: z.number().int().min(1).max(100).default(4),
  interpolation: z.enum(['zoh', 'linear', 'spline']).default('spline'),
  /** Perturbation std as a fraction of each actuator's half-range. */
  noise: z.number().positive().max(2).default(0.3),
  /** Start from the previous plan shifted in time (else from zero). */
  warmStart: z.boolean().default(true),
};

export const samplingSchema = z.object(samplingOptions).strict();
export type SamplingConfig = z.infer<typeof samplingSchema>;

/** Samples per iteration after applying a compute budget. */
export function effectiveSamples(c: SamplingConfig): number {
  return c.budget ? Math.max(2, Math.floor(c.budget / (c.horizon * c.iterations))) : c.samples;
}
