// A legged robot standing at reset (core's Task.settle): placed at its rest pose just clear of the ground, held there
// by stiff joint motors until it has settled on its feet; the env snapshots that state as its reset state.
import { ItineraError, neutralCommand, type RobotSpec } from '@itinera/core';
import { clearOfGround } from './ground-clearance.js';
import type { PhysicsWorld } from './physics-world.js';

/**
 * The rest pose by joint name: a `pose` key names a joint, or a suffix several share ('thigh_joint' sets every
 * thigh); absent joints keep the robot's initial positions (0 where it gives none).
 */
export function restPose(robot: RobotSpec, pose: Record<string, number> = {}): Record<string, number> {
  const moving = robot.joints.filter((j) => j.type !== 'fixed').map((j) => j.name);
  const out: Record<string, number> = Object.fromEntries(moving.map((name) => [name, robot.initialJoints?.[name] ?? 0]));
  const unknown: string[] = [];
  for (const [key, angle] of Object.entries(pose)) {
    const hits = moving.filter((name) => name === key || name.endsWith(key));
    if (hits.length === 0) unknown.push(key);
    for (const name of hits) out[name] = angle;
  }
  if (unknown.length > 0) throw new ItineraError(unknown.map((k) => `settle pose: robot '${robot.name}' has no joint named or ending in '${k}'`));
  return out;
}

/** The robot to build a settling world from: at its rest pose, lifted just clear of the ground. */
export function settlingRobot(robot: RobotSpec, pose?: Record<string, number>): RobotSpec {
  if (robot.base.fixed) throw new ItineraError(`robot '${robot.name}' has a fixed base: a standing task needs a floating one (try --floating-base)`);
  return clearOfGround({ ...robot, initialJoints: restPose(robot, pose) }).robot;
}

/** Joint error (rad or m) at which the settling hold pushes as hard as the joint's actuator can. */
const FULL_EFFORT_ERROR = 0.05;

/** Per joint (layout order): its rest position, and the stiffness that spends its actuator's limit at `error`. */
function restHold(world: PhysicsWorld, error: number): { targets: number[]; stiffness: number[] } {
  const limit = new Map(world.robot.actuators.map((a) => [a.joint, a.limit]));
  const joints = world.layout.joints;
  return {
    targets: joints.map((j) => world.robot.initialJoints?.[j.joint.name] ?? 0),
    stiffness: joints.map((j) => (limit.get(j.joint.name) ?? 0) / error),
  };
}

/** Holds the actuated joints at the robot's initial positions with stiff motors for `seconds`, then lets go and zeroes time. */
export function settle(world: PhysicsWorld, seconds: number): void {
  world.applyActuators(neutralCommand(world.robot));
  world.holdJoints(restHold(world, FULL_EFFORT_ERROR));
  for (let s = Math.round(seconds / world.controlDt); s > 0; s--) world.step();
  world.holdJoints(undefined);
  world.time = 0;
}

/** Keeps a compliant hold toward the rest pose after settling (Task.settle.hold): full torque at `error` rad (or m) off it. */
export function holdStance(world: PhysicsWorld, error: number): void {
  world.holdStance(restHold(world, error));
}
