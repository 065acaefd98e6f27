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
  for (const { link, rest } of layoutRobot(robot).links.values())
    for (const geom of link.collisions) lowest = Math.min(lowest, lowestZ(geom.shape, compose(rest, fromPose(geom.origin))));
  const lift = Number.isFinite(lowest) ? Math.max(0, CLEARANCE - lowest) : 0;
  if (lift === 0) return { robot, lift };
  const [x, y, z] = robot.base.pose.xyz;
  return { robot: { ...robot, base: { ...robot.base, pose: { ...robot.base.pose, xyz: [x, y, z + lift] } } }, lift };
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
