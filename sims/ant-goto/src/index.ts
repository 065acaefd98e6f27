// ant-goto-v1: the ant walks to a target 3 m away; locomotion must emerge from torque MPC alone.
import { defineScenario, type CostTerm, type Task, type Vec3, type WorldView } from '@itinera/core';
import { z } from 'zod';

const antGotoOptionsSchema = z
  .object({
    distance: z.number().positive().default(3).describe('Distance from the start to the target, metres.'),
    tolerance: z.number().positive().default(0.5).describe('Success radius around the target, metres (torso position in the plane).'),
    maxSteps: z.number().int().positive().default(1000).describe('Episode length in control steps: 20 s at 50 Hz.'),
    speed: z.number().positive().default(0.5).describe('Walking speed toward the target the cost asks for, m/s (slowing within a metre of it).'),
    height: z.number().positive().default(0.45).describe('Torso height the cost asks for, metres.'),
  })
  .strict();
export type AntGotoOptions = z.infer<typeof antGotoOptionsSchema>;

export interface AntGotoState {
  target: Vec3;
}

const COST_TERMS: CostTerm[] = [
  { name: 'goal', norm: 'smooth-l2', weight: 1, p: 0.1 },
  { name: 'progress', norm: 'quadratic', weight: 4 },
  { name: 'height', norm: 'quadratic', weight: 5 },
  { name: 'upright', norm: 'quadratic', weight: 2 },
  { name: 'effort', norm: 'quadratic', weight: 0.002, guardrail: true },
];

export const antGoto = defineScenario<AntGotoOptions>({
  name: 'ant-goto-v1',
  description: 'The ant walks to a seeded target 3 m away using torque MPC only.',
  defaultRobot: 'ant',
  defaultPlanner: 'ant-mppi',
  schema: antGotoOptionsSchema,
  defaults: antGotoOptionsSchema.parse({}),
  create: (options, robot): Task<AntGotoState> => {
    const toGoal = (view: WorldView, s: AntGotoState): [number, number] => {
      const b = view.basePosition();
      return [b[0] - s.target[0], b[1] - s.target[1]];
    };
    // z component of the torso's up axis (1 when level).
    const upZ = (view: WorldView): number => {
      const [x, y] = view.baseQuaternion();
      return 1 - 2 * (x * x + y * y);
    };
    return {
      scene: { ground: true, bodies: [], regions: [] },
      maxSteps: options.maxSteps,
      costTerms: COST_TERMS,
      observationNames: ['target.x', 'target.y', 'to-target.x', 'to-target.y'],
      init(rng) {
        const angle = rng.uniform(-Math.PI, Math.PI);
        return { target: [options.distance * Math.cos(angle), options.distance * Math.sin(angle), 0] };
      },
      observe(view, s) {
        return [s.target[0], s.target[1], ...toGoal(view, s)];
      },
      residuals(view, s) {
        const [dx, dy] = toGoal(view, s);
        const d = Math.hypot(dx, dy) || 1;
        const v = view.baseVelocity();
        // Velocity toward the target: a signal the short horizon can feel long before it nears the goal.
        const toward = -(v[0] * dx + v[1] * dy) / d;
        return {
          goal: [dx, dy],
          progress: [toward - options.speed * Math.min(1, d)],
          height: [view.basePosition()[2] - options.height],
          upright: [1 - upZ(view)],
        };
      },
      status(view, s) {
        const [dx, dy] = toGoal(view, s);
        return { success: Math.hypot(dx, dy) < options.tolerance };
      },
      markers: (s) => [{ name: 'target', position: s.target }],
    };
  },
});
