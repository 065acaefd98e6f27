// reach-v1: a fixed-base arm brings its end effector to a seeded random target and settles there.
import { defineScenario, ItineraError, type CostTerm, type RobotSpec, type Task, type Vec3, type WorldView } from '@itinera/core';
import { reachOptionsSchema, type ReachOptions } from './options.js';

export interface ReachState {
  target: Vec3;
}

const COST_TERMS: CostTerm[] = [
  { name: 'distance', norm: 'smooth-l2', weight: 1, p: 0.02 },
  { name: 'velocity', norm: 'quadratic', weight: 0.002 },
];

export const reach = defineScenario<ReachOptions>({
  name: 'reach-v1',
  description: "An arm's end effector must reach a seeded random target within a tolerance.",
  defaultRobot: 'reacher',
  schema: reachOptionsSchema,
  defaults: reachOptionsSchema.parse({}),
  create: (options, robot) => createReachTask(options, robot),
});

function createReachTask(options: ReachOptions, robot: RobotSpec): Task<ReachState> {
  if (!robot.endEffector) {
    throw new ItineraError(
      `reach-v1 needs an end effector: robot '${robot.name}' names none (add endEffector to its description or pass --end-effector LINK)`,
    );
  }
  const pivotLink = robot.joints.find((j) => j.parent === robot.base.link && j.type !== 'fixed')?.child ?? robot.base.link;
  const distance = (view: WorldView, s: ReachState): Vec3 => {
    const ee = view.endEffectorPosition();
    return [ee[0] - s.target[0], ee[1] - s.target[1], ee[2] - s.target[2]];
  };

  return {
    scene: { ground: true, bodies: [], regions: [] },
    maxSteps: options.maxSteps,
    costTerms: COST_TERMS,
    observationNames: ['target.x', 'target.y', 'target.z', 'error.x', 'error.y', 'error.z'],
    init(rng, view) {
      // Targets lie on the circle swept at rest height, between inner and outer fractions of the reach.
      const ee = view.endEffectorPosition();
      const pivot = view.pointPosition(pivotLink);
      const reachRadius = Math.hypot(ee[0] - pivot[0], ee[1] - pivot[1]);
      const r = rng.uniform(options.minRadius, options.maxRadius) * reachRadius;
      const angle = rng.uniform(-options.maxAngle, options.maxAngle);
      return { target: [pivot[0] + r * Math.cos(angle), pivot[1] + r * Math.sin(angle), ee[2]] };
    },
    observe(view, s) {
      return [...s.target, ...distance(view, s)];
    },
    residuals(view, s) {
      return {
        distance: distance(view, s),
        velocity: view.jointVelocities(),
      };
    },
    status(view, s) {
      const [dx, dy, dz] = distance(view, s);
      if (Math.hypot(dx, dy, dz) >= options.tolerance) return { success: false };
      return { success: view.jointVelocities().every((v) => Math.abs(v) < options.settleSpeed) };
    },
    markers: (s) => [{ name: 'target', position: s.target }],
  };
}

export { reachOptionsSchema, type ReachOptions };
