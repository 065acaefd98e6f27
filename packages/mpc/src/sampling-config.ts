import { z } from 'zod';

/** Options every sampling planner shares; each planner extends them with its own. */
export const samplingOptions = {
  horizon: z.number().int().min(1).max(1000).default(25).describe('Control steps the plan looks ahead.'),
  samples: z.number().int().min(1).max(100000).default(64).describe('Action sequences evaluated per iteration.'),
  iterations: z.number().int().min(1).max(100).default(1).describe('Optimisation iterations per plan.'),
  // When set, `samples` is derived from it so planners compared in a benchmark spend equal compute.
  budget: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional().describe('Rollout steps per plan (samples × horizon × iterations); when set, samples is derived from it.'),
  knots: z.number().int().min(1).max(100).default(4).describe('Knots of the action parameterisation over the horizon.'),
  interpolation: z.enum(['zoh', 'linear', 'spline']).default('spline').describe('How actions vary between knots: held (zoh), linear or spline.'),
  noise: z.number().positive().max(2).default(0.3).describe("Perturbation std as a fraction of each actuator's half-range."),
  warmStart: z.boolean().default(true).describe('Start from the previous plan shifted in time (else from zero).'),
};

/**
 * Rollout steps (samples × horizon) one iteration may hold. Each keeps its actions (8 bytes per actuator: 32 MB
 * per actuator at the bound) and costs a model step; beyond it a plan takes minutes and gigabytes.
 */
export const MAX_ROLLOUT_STEPS = 4_000_000;

/** Refuses configs, `budget` included, whose samples × horizon would pass MAX_ROLLOUT_STEPS; says what they would take. */
export function checkRolloutSize(c: { samples: number; horizon: number; iterations: number; budget?: number }, ctx: z.RefinementCtx): void {
  const samples = effectiveSamples(c as SamplingConfig);
  const steps = samples * c.horizon;
  if (steps <= MAX_ROLLOUT_STEPS) return;
  const n = (x: number) => x.toLocaleString('en-US');
  const from = c.budget ? `budget ${n(c.budget)} gives ${n(samples)} samples` : `${n(samples)} samples`;
  ctx.addIssue({
    code: 'custom',
    path: [c.budget ? 'budget' : 'samples'],
    message: `${from} × horizon ${c.horizon} = ${n(steps)} rollout steps per iteration, holding ${n(Math.ceil((steps * 8) / 1e6))} MB of actions per actuator; the limit is ${n(MAX_ROLLOUT_STEPS)}${c.budget ? ` (budget ≤ ${n(MAX_ROLLOUT_STEPS * c.iterations)} at this horizon × iterations)` : ''}`,
  });
}

export const samplingSchema = z.object(samplingOptions).strict().superRefine(checkRolloutSize);
export type SamplingConfig = z.infer<typeof samplingSchema>;

/** Samples per iteration after applying a compute budget. */
export function effectiveSamples(c: SamplingConfig): number {
  return c.budget ? Math.max(2, Math.floor(c.budget / (c.horizon * c.iterations))) : c.samples;
}
