// reach-v2: targets in 3D, the end effector's position in a random joint configuration within limits, so every
// target is reachable by construction (self-collision aside) for any arm, planar or spatial.
import { defineScenario, ItineraError, linkPointPosition, type JointSpec, type RobotSpec, type Rng, type Task, type Vec3, type WorldView } from '@itinera/core';
import { REACH_COST_TERMS, reachStatus } from './reach-goal.js';
import { reachV2OptionsSchema, type ReachV2Options } from './options-v2.js';

export interface ReachV2State {
  target: Vec3;
}

/** Configurations drawn before giving up on the height and distance conditions. */
const MAX_DRAWS = 200;

export const reachV2 = defineScenario<ReachV2Options>({
  name: 'reach-v2',
  description: "An arm's end effector must reach a 3D target, the end effector's position in a seeded random joint configuration within limits.",
  defaultRobot: 'reacher',
  defaultPlanner: 'mppi',
  schema: reachV2OptionsSchema,
  defaults: reachV2OptionsSchema.parse({}),
  create: (options, robot) => createReachV2Task(options, robot),
});

function createReachV2Task(options: ReachV2Options, robot: RobotSpec): Task<ReachV2State> {
  const ee = robot.endEffector;
  if (!ee) {
    throw new ItineraError(`reach-v2 needs an end effector: robot '${robot.name}' names none (add endEffector to its description or pass --end-effector LINK or FRAME)`);
  }
  const moving = robot.joints.filter((j) => j.type !== 'fixed');
  const error = (view: WorldView, s: ReachV2State): Vec3 => {
    const p = view.endEffectorPosition();
    return [p[0] - s.target[0], p[1] - s.target[1], p[2] - s.target[2]];
  };

  return {
    scene: { ground: options.floor, bodies: [], regions: [] },
    maxSteps: options.maxSteps,
    gravityCompensation: options.gravityCompensation,
    robot: withJointDamping(robot, options.jointDamping),
    costTerms: REACH_COST_TERMS.map((t) => (t.name === 'velocity' ? { ...t, weight: options.velocityWeight } : t)),
    observationNames: ['target.x', 'target.y', 'target.z', 'error.x', 'error.y', 'error.z'],
    init(rng, view) {
      const start = view.endEffectorPosition();
      for (let draw = 0; draw < MAX_DRAWS; draw++) {
        const q = drawConfiguration(rng, moving, options.spread);
        const target = linkPointPosition(robot, ee.link, ee.point, view.basePosition(), view.baseQuaternion(), (name) => q.get(name) ?? 0);
        const far = Math.hypot(target[0] - start[0], target[1] - start[1], target[2] - start[2]) >= options.minDistance;
        if (far && target[2] >= options.minHeight) return { target };
      }
      throw new ItineraError(
        `reach-v2: no target at least ${options.minDistance} m from the end effector and ${options.minHeight} m above the ground in ${MAX_DRAWS} random configurations of '${robot.name}' (lower minDistance or minHeight, or widen spread)`,
      );
    },
    observe(view, s) {
      return [...s.target, ...error(view, s)];
    },
    residuals(view, s) {
      return { distance: error(view, s), velocity: view.jointVelocities() };
    },
    status: (view, s) => reachStatus(view, error(view, s), options),
    markers: (s) => [{ name: 'target', position: s.target }],
  };
}

/** The robot with each actuated joint damped by at least `share` × its actuator's limit (N·m·s/rad, or N·s/m). */
export function withJointDamping(robot: RobotSpec, share: number): RobotSpec {
  if (share === 0) return robot;
  const limits = new Map(robot.actuators.map((a) => [a.joint, a.limit]));
  const joints = robot.joints.map((j) => (limits.has(j.name) ? { ...j, damping: Math.max(j.damping, share * limits.get(j.name)!) } : j));
  return { ...robot, joints };
}

/** A joint configuration: each joint uniform within its limits and ±spread of the rest pose (0); <mimic> followers follow. */
function drawConfiguration(rng: Rng, joints: readonly JointSpec[], spread: number): Map<string, number> {
  const q = new Map<string, number>();
  for (const j of joints) {
    if (j.mimic) continue;
    const limit = j.type === 'continuous' ? undefined : j.limit;
    const lower = Math.max(limit?.lower ?? -Infinity, -spread);
    const upper = Math.min(limit?.upper ?? Infinity, spread);
    // Limits that exclude the whole ±spread window: the nearest limit.
    q.set(j.name, lower <= upper ? rng.uniform(lower, upper) : Math.min(Math.max(0, limit!.lower), limit!.upper));
  }
  for (const j of joints) if (j.mimic) q.set(j.name, j.mimic.multiplier * (q.get(j.mimic.joint) ?? 0) + j.mimic.offset);
  return q;
}
