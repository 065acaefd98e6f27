import { z } from 'zod';

export const reachOptionsSchema = z
  .object({
    /** Success radius around the target, metres. */
    tolerance: z.number().positive().default(0.05),
    /** Success also needs every joint slower than this (rad/s or m/s): settled, not swinging through. */
    settleSpeed: z.number().positive().default(1.0),
    /** Episode length in control steps. */
    maxSteps: z.number().int().positive().default(200),
    /** Target distance from the first joint, as fractions of the arm's reach at rest. */
    minRadius: z.number().min(0).max(1).default(0.3),
    maxRadius: z.number().min(0).max(1).default(0.85),
    /** Targets lie within ±maxAngle of the arm's rest direction (radians). */
    maxAngle: z.number().min(0).max(Math.PI).default(2.8),
    /** Extra observation channels the robot can neither control nor predict (swaying like leaves in the wind). */
    distractors: z.number().int().min(0).max(1024).default(0),
  })
  .strict()
  .refine((o) => o.minRadius <= o.maxRadius, { message: 'minRadius must not exceed maxRadius' });

export type ReachOptions = z.infer<typeof reachOptionsSchema>;
