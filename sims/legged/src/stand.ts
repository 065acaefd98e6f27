// stand-v1: any floating-base legged robot stays upright for 10 s while seeded pushes hit its base.
import { defineScenario, type CostTerm, type Rng, type Task, type Vec3 } from '@itinera/core';
import { z } from 'zod';
import { robotMass } from './feet.js';
import { contacts, fallen, feetSetup, leggedOptions, measureStanding, settleFor, standingResiduals, type Standing } from './standing.js';

const standOptionsSchema = z
  .object({
    ...leggedOptions,
    seconds: z.number().positive().default(10).describe('How long the robot must stay standing, s; success at the end.'),
    maxSteps: z.number().int().positive().default(510).describe('Episode length in control steps (10 s at 50 Hz, and a margin).'),
    pushes: z.number().int().min(0).default(3).describe('Pushes on the base per episode, at seeded times and horizontal directions.'),
    push: z.number().min(0).default(0.3).describe("Size of each push: the speed (m/s) it would give the whole robot, so the impulse is this times the robot's mass."),
  })
  .strict();
export type StandOptions = z.infer<typeof standOptionsSchema>;

export interface Push {
  /** When it hits, s after reset. */
  time: number;
  /** Impulse on the base, N·s, world frame. */
  impulse: Vec3;
}

export interface StandState extends Standing {
  pushes: Push[];
}

const COST_TERMS: CostTerm[] = [
  { name: 'height', norm: 'quadratic', weight: 20 },
  { name: 'upright', norm: 'quadratic', weight: 10 },
  { name: 'posture', norm: 'quadratic', weight: 0.5 },
  { name: 'velocity', norm: 'quadratic', weight: 0.5 },
  { name: 'effort', norm: 'quadratic', weight: 0.002, guardrail: true },
];

/** Push times spread over the episode (one per equal slice, away from its ends), directions uniform in the plane. */
export function seededPushes(rng: Rng, count: number, seconds: number, impulse: number): Push[] {
  const slice = (seconds - 1) / Math.max(1, count);
  return Array.from({ length: count }, (_, i) => {
    const angle = rng.uniform(-Math.PI, Math.PI);
    return { time: 0.5 + slice * (i + rng.uniform(0.2, 0.8)), impulse: [impulse * Math.cos(angle), impulse * Math.sin(angle), 0] as Vec3 };
  });
}

export const stand = defineScenario<StandOptions>({
  name: 'stand-v1',
  description: 'Any floating-base legged robot stays upright for 10 s under seeded pushes on its base (feet named, or detected as the distal link of each leg).',
  defaultRobot: 'ant',
  defaultPlanner: 'legged-stand-mppi',
  schema: standOptionsSchema,
  defaults: standOptionsSchema.parse({}),
  create: (options, robot): Task<StandState> => {
    const { feet, names } = feetSetup(robot, options.feet);
    const impulse = options.push * robotMass(robot);
    return {
      scene: { ground: true, bodies: [], regions: [] },
      maxSteps: options.maxSteps,
      costTerms: COST_TERMS,
      settle: settleFor(options),
      observationNames: names,
      init: (rng, view) => ({ ...measureStanding(view), pushes: seededPushes(rng, options.pushes, options.seconds, impulse) }),
      observe: (view) => contacts(view, feet),
      residuals(view, s) {
        return { ...standingResiduals(view, s), velocity: view.baseVelocity() };
      },
      status(view, s) {
        return fallen(view, s, options) ?? { success: view.time >= options.seconds - 1e-6 };
      },
      disturbance: (view, s, dt) => s.pushes.find((p) => p.time >= view.time && p.time < view.time + dt)?.impulse,
    };
  },
});
