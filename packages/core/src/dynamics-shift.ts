// Dynamics shifts a scenario may apply to its robot (a payload, a weak motor, slippery wheels): pure edits of a
// RobotSpec, so the simulator, its planning copies and every model trained on the unshifted robot see one truth.
import type { RobotSpec, Vec3 } from './spec.js';

/** Name of the link a payload adds. */
export const PAYLOAD_LINK = 'payload';

/** `kg` welded at `point` of `link` (a point mass, no collision shape); the robot itself when kg is 0. */
export function withPayload(robot: RobotSpec, link: string, point: Vec3, kg: number): RobotSpec {
  if (kg === 0) return robot;
  // A 2 cm solid sphere's inertia: small, but keeps the solver well conditioned.
  const moment = 0.4 * kg * 0.02 * 0.02;
  return {
    ...robot,
    links: [...robot.links, { name: PAYLOAD_LINK, mass: kg, inertia: { ixx: moment, iyy: moment, izz: moment, ixy: 0, ixz: 0, iyz: 0 }, collisions: [] }],
    joints: [...robot.joints, { name: `${PAYLOAD_LINK}_mount`, type: 'fixed', parent: link, child: PAYLOAD_LINK, origin: { xyz: point, rpy: [0, 0, 0] }, axis: [0, 0, 1], damping: 0 }],
  };
}

/** Every actuator delivers `gain` of the torque it is commanded (a weak motor below 1); the robot itself at 1. */
export function withActuatorGain(robot: RobotSpec, gain: number): RobotSpec {
  if (gain === 1) return robot;
  return { ...robot, actuators: robot.actuators.map((a) => ({ ...a, gain: (a.gain ?? 1) * gain })) };
}

/** The collision shapes of `links` get friction coefficient `friction`. */
export function withFriction(robot: RobotSpec, links: readonly string[], friction: number): RobotSpec {
  const shifted = new Set(links);
  return { ...robot, links: robot.links.map((l) => (shifted.has(l.name) ? { ...l, collisions: l.collisions.map((g) => ({ ...g, friction })) } : l)) };
}
