import { z } from 'zod';

export const reachOptionsSchema = z
  .object({
    tolerance: z.number().positive().default(0.05).describe('Success radius around the target, metres.'),
    settleSpeed: z.number().positive().default(1.0).describe('Success also needs every joint slower than this (rad/s or m/s): settled, not swinging through.'),
    maxSteps: z.number().int().positive().default(200).describe('Episode length in control steps.'),
    minRadius: z.number().min(0).max(1).default(0.3).describe("Target distance from the first joint, as fractions of the arm's reach at rest."),
    maxRadius: z.number().min(0).max(1).default(0.85).describe("Largest target distance, as a fraction of the arm's reach at rest."),
    maxAngle: z.number().min(0).max(Math.PI).default(2.8).describe("Targets lie within ±maxAngle of the arm's rest direction (radians)."),
    distractors: z.number().int().min(0).max(1024).default(0).describe('Extra observation channels the robot can neither control nor predict (swaying like leaves in the wind).'),
    movers: z.number().int().min(0).max(64).default(0).describe("Structured distractors: bodies bouncing across the workspace by their own dynamics, observed like the target (mover.i.x/y and the fingertip's offset mover.i.dx/dy); the arm cannot move them."),
    payload: z.number().min(0).max(5).default(0).describe('Dynamics shift: a point mass (kg) held at the end effector; 0 = none.'),
    motor: z.number().gt(0).max(1).default(1).describe('Dynamics shift: share of each commanded torque the motors deliver, in (0, 1]; 1 = full strength.'),
  })
  .strict()
  .refine((o) => o.minRadius <= o.maxRadius, { message: 'minRadius must not exceed maxRadius' });

export type ReachOptions = z.infer<typeof reachOptionsSchema>;
