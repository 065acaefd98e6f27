import type { Geom, Shape } from '@itinera/core';
import { RAPIER } from './rapier.js';
import { quatFromRpy, quatMul, rotate, type Quat, type Transform } from './math.js';

// Collision groups: (memberships << 16) | filter. The robot never collides with itself.
export const SCENE_GROUPS = 0x0001ffff;
export const ROBOT_GROUPS = 0x0002fffd;
/** Rays see the scene only. */
export const RAY_GROUPS = 0xffff0001;
/** Invisible colliders that only carry mass. */
export const NO_GROUPS = 0;

// Rapier's cylinders and capsules run along y; ours (and URDF's) along z.
const Y_TO_Z: Quat = [Math.SQRT1_2, 0, 0, Math.SQRT1_2];

export { shapeVolume } from '@itinera/core';

/** A collider description for `geom`, placed by `frame` (the geom's link frame in its body's frame). */
export function colliderFor(geom: Geom, frame: Transform): RAPIER.ColliderDesc {
  const s = geom.shape;
  let desc: RAPIER.ColliderDesc;
  let q = quatMul(frame.q, quatFromRpy(geom.origin.rpy));
  switch (s.type) {
    case 'box':
      desc = RAPIER.ColliderDesc.cuboid(s.size[0] / 2, s.size[1] / 2, s.size[2] / 2);
      break;
    case 'sphere':
      desc = RAPIER.ColliderDesc.ball(s.radius);
      break;
    case 'cylinder':
      desc = RAPIER.ColliderDesc.cylinder(s.length / 2, s.radius);
      q = quatMul(q, Y_TO_Z);
      break;
    case 'capsule':
      desc = RAPIER.ColliderDesc.capsule(s.length / 2, s.radius);
      q = quatMul(q, Y_TO_Z);
      break;
    case 'convex':
      // Rapier returns null when the points span no volume; the importer only emits hulls that do.
      desc = RAPIER.ColliderDesc.convexHull(new Float32Array(s.points.flat()))!;
      break;
  }
  const p = rotate(frame.q, geom.origin.xyz);
  return desc
    .setTranslation(frame.p[0] + p[0], frame.p[1] + p[1], frame.p[2] + p[2])
    .setRotation({ x: q[0], y: q[1], z: q[2], w: q[3] })
    .setFriction(geom.friction ?? 0.8)
    // The lower of two surfaces' friction wins, so a shape's friction means what its file says.
    .setFrictionCombineRule(RAPIER.CoefficientCombineRule.Min);
}
