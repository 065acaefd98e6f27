// push-v1: the rover pushes a box onto a target pad.
import { defineScenario, type CostTerm, type SceneSpec, type Task, type Vec3, type WorldView } from '@itinera/core';
import { z } from 'zod';

const pushOptionsSchema = z
  .object({
    padRadius: z.number().positive().default(0.2).describe("The box's centre must lie within this distance of the pad's centre (metres, in the plane)."),
    maxSteps: z.number().int().positive().default(500).describe('Episode length in control steps (50 Hz).'),
    boxSize: z.number().positive().default(0.3).describe('Edge length of the cubic box (metres).'),
    boxMass: z.number().positive().default(1.0).describe('Mass of the box (kg).'),
  })
  .strict();
export type PushOptions = z.infer<typeof pushOptionsSchema>;

export interface PushState {
  pad: Vec3;
}

const COST_TERMS: CostTerm[] = [
  { name: 'box-to-pad', norm: 'smooth-l2', weight: 1, p: 0.05 },
  { name: 'rover-behind-box', norm: 'smooth-l2', weight: 0.3, p: 0.05 },
  { name: 'arm-up', norm: 'quadratic', weight: 0.05 },
];

export const push = defineScenario<PushOptions>({
  name: 'push-v1',
  description: 'The rover pushes a box onto a seeded target pad.',
  defaultRobot: 'rover',
  defaultPlanner: 'push-mppi',
  schema: pushOptionsSchema,
  defaults: pushOptionsSchema.parse({}),
  create: (options, robot): Task<PushState> => {
    const half = options.boxSize / 2;
    const scene: SceneSpec = {
      ground: true,
      bodies: [
        {
          name: 'box',
          mass: options.boxMass,
          pose: { xyz: [0.75, 0, half + 0.001], rpy: [0, 0, 0] },
          geoms: [{ shape: { type: 'box', size: [options.boxSize, options.boxSize, options.boxSize] }, origin: { xyz: [0, 0, 0], rpy: [0, 0, 0] }, friction: 0.5 }],
        },
      ],
      regions: [],
    };
    const armJoint = robot.joints.filter((j) => j.type !== 'fixed').findIndex((j) => j.name === 'arm');
    const boxToPad = (view: WorldView, s: PushState): [number, number] => {
      const b = view.bodyPosition('box');
      return [b[0] - s.pad[0], b[1] - s.pad[1]];
    };
    return {
      scene,
      maxSteps: options.maxSteps,
      costTerms: COST_TERMS,
      observationNames: ['box.x', 'box.y', 'box.z', 'pad.x', 'pad.y', 'box-to-pad.x', 'box-to-pad.y'],
      init(rng) {
        // The pad lies 0.7–1.2 m beyond the box, up to 0.5 m to either side.
        return { pad: [0.75 + rng.uniform(0.7, 1.2), rng.uniform(-0.5, 0.5), 0] };
      },
      observe(view, s) {
        return [...view.bodyPosition('box'), s.pad[0], s.pad[1], ...boxToPad(view, s)];
      },
      residuals(view, s) {
        const box = view.bodyPosition('box');
        const toPad = boxToPad(view, s);
        const d = Math.hypot(toPad[0], toPad[1]) || 1;
        // Stand on the far side of the box from the pad, ready to push it along the line.
        const standoff = half + 0.35;
        const behind: Vec3 = [box[0] + (toPad[0] / d) * standoff, box[1] + (toPad[1] / d) * standoff, 0];
        const base = view.basePosition();
        return {
          'box-to-pad': toPad,
          'rover-behind-box': [base[0] - behind[0], base[1] - behind[1]],
          'arm-up': armJoint >= 0 ? [view.jointPositions()[armJoint] + 1.0] : [0],
        };
      },
      status(view, s) {
        const [dx, dy] = boxToPad(view, s);
        if (view.bodyPosition('box')[2] < 0) return { success: false, failure: 'box-fell' };
        return { success: Math.hypot(dx, dy) < options.padRadius };
      },
      markers: (s) => [{ name: 'pad', position: s.pad }],
    };
  },
});
