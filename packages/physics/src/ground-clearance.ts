// A floating robot placed where its file says (often the origin, as URDFs of legged robots are) can start with
// its feet under the ground, which the contact solver answers with a kick. Checks start it just clear instead.
import type { RobotSpec, Shape, Vec3 } from '@itinera/core';
import { layoutRobot } from './kinematics.js';
import { apply, compose, fromPose, type Transform } from './math.js';

/** Gap left under the lowest shape (m). */
const CLEARANCE = 0.01;

/** The robot raised so its lowest collision shape at rest is CLEARANCE above z = 0, and by how much (0: as it was). */
export function clearOfGround(robot: RobotSpec): { robot: RobotSpec; lift: number } {
  if (robot.base.fixed) return { robot, lift: 0 };
  let lowest = Infinity;
  const start = robot.initialJoints ? startPoses(robot) : undefined;
  for (const { link, rest } of layoutRobot(robot).links.values())
    for (const geom of link.collisions) lowest = Math.min(lowest, lowestZ(geom.shape, compose(start?.get(link.name) ?? rest, fromPose(geom.origin))));
  const lift = Number.isFinite(lowest) ? Math.max(0, CLEARANCE - lowest) : 0;
  if (lift === 0) return { robot, lift };
  const [x, y, z] = robot.base.pose.xyz;
  return { robot: { ...robot, base: { ...robot.base, pose: { ...robot.base.pose, xyz: [x, y, z + lift] } } }, lift };
}

/** Each link's frame in the world with the joints at the robot's start positions (initialJoints). */
function startPoses(robot: RobotSpec): Map<string, Transform> {
  const at = new Map<string, Transform>([[robot.base.link, fromPose(robot.base.pose)]]);
  const pending = [...robot.joints];
  for (let i = pending.findIndex((j) => at.has(j.parent)); i >= 0; i = pending.findIndex((j) => at.has(j.parent))) {
    const [j] = pending.splice(i, 1);
    const q = j.type === 'fixed' ? 0 : (robot.initialJoints?.[j.name] ?? 0);
    const [s, c] = [Math.sin(q / 2), Math.cos(q / 2)];
    const move: Transform = j.type === 'prismatic' ? { p: [j.axis[0] * q, j.axis[1] * q, j.axis[2] * q], q: [0, 0, 0, 1] } : { p: [0, 0, 0], q: [j.axis[0] * s, j.axis[1] * s, j.axis[2] * s, c] };
    at.set(j.child, compose(compose(at.get(j.parent)!, fromPose(j.origin)), move));
  }
  return at;
}

function lowestZ(shape: Shape, at: Transform): number {
  const z = (p: Vec3) => apply(at, p)[2];
  switch (shape.type) {
    case 'convex':
      return Math.min(...shape.points.map(z));
    case 'box': {
      const [a, b, c] = shape.size.map((s) => s / 2);
      return Math.min(...[-a, a].flatMap((x) => [-b, b].flatMap((y) => [-c, c].map((w) => z([x, y, w])))));
    }
    case 'sphere':
      return at.p[2] - shape.radius;
    case 'cylinder':
    case 'capsule':
      // Any orientation: the bounding sphere of the shape is low enough.
      return at.p[2] - Math.hypot(shape.length / 2 + (shape.type === 'capsule' ? shape.radius : 0), shape.radius);
  }
}
