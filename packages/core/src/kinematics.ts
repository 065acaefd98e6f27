// Forward kinematics of a RobotSpec: where a point of a link is, given the base pose and the joint positions. A
// learned model decodes base pose and joints, not link positions; this turns them into an end-effector position.
import { ItineraError } from './errors.js';
import type { Pose, RobotSpec, Shape, Vec3 } from './spec.js';

/** Row-major 3×3 rotation and translation. */
interface Transform {
  r: number[];
  t: Vec3;
}

function multiply(a: number[], b: number[]): number[] {
  const out = new Array<number>(9);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) out[3 * i + j] = a[3 * i] * b[j] + a[3 * i + 1] * b[3 + j] + a[3 * i + 2] * b[6 + j];
  return out;
}

function apply(r: number[], v: Vec3): Vec3 {
  return [r[0] * v[0] + r[1] * v[1] + r[2] * v[2], r[3] * v[0] + r[4] * v[1] + r[5] * v[2], r[6] * v[0] + r[7] * v[1] + r[8] * v[2]];
}

/** Rotation by `angle` about the unit `axis` (Rodrigues). */
function axisAngle([x, y, z]: Vec3, angle: number): number[] {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const k = 1 - c;
  return [c + x * x * k, x * y * k - z * s, x * z * k + y * s, y * x * k + z * s, c + y * y * k, y * z * k - x * s, z * x * k - y * s, z * y * k + x * s, c + z * z * k];
}

/** URDF roll-pitch-yaw: fixed axes X, then Y, then Z. */
function rpyMatrix([roll, pitch, yaw]: Vec3): number[] {
  return multiply(axisAngle([0, 0, 1], yaw), multiply(axisAngle([0, 1, 0], pitch), axisAngle([1, 0, 0], roll)));
}

function compose(a: Transform, b: Transform): Transform {
  const moved = apply(a.r, b.t);
  return { r: multiply(a.r, b.r), t: [a.t[0] + moved[0], a.t[1] + moved[1], a.t[2] + moved[2]] };
}

function fromPose(p: Pose): Transform {
  return { r: rpyMatrix(p.rpy), t: [...p.xyz] };
}

function fromQuaternion([x, y, z, w]: readonly number[]): number[] {
  return [1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w), 2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w), 2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)];
}

/**
 * World position of `point` (in `link`'s frame), the base link at `basePosition` with orientation `baseQuaternion`
 * (x, y, z, w); `jointPosition(name)` gives each moving joint's angle (rad) or travel (m) along the way.
 */
export function linkPointPosition(robot: RobotSpec, link: string, point: Vec3, basePosition: Vec3, baseQuaternion: readonly number[], jointPosition: (joint: string) => number): Vec3 {
  const chain = [];
  for (let at = link; at !== robot.base.link; ) {
    const joint = robot.joints.find((j) => j.child === at);
    if (!joint) throw new ItineraError(`${robot.name}: link '${link}' is not connected to the base '${robot.base.link}'`);
    chain.unshift(joint);
    at = joint.parent;
  }
  let frame: Transform = { r: fromQuaternion(baseQuaternion), t: [...basePosition] };
  for (const joint of chain) {
    frame = compose(frame, fromPose(joint.origin));
    if (joint.type === 'revolute' || joint.type === 'continuous') frame = compose(frame, { r: axisAngle(joint.axis, jointPosition(joint.name)), t: [0, 0, 0] });
    else if (joint.type === 'prismatic') {
      const d = jointPosition(joint.name);
      frame = compose(frame, { r: axisAngle([1, 0, 0], 0), t: [joint.axis[0] * d, joint.axis[1] * d, joint.axis[2] * d] });
    }
  }
  return compose(frame, { r: axisAngle([1, 0, 0], 0), t: point }).t;
}

/** Corners (or extreme points) of a collision shape in its geom frame, enough to bound it. */
function shapeCorners(shape: Shape): Vec3[] {
  const box = (x: number, y: number, z: number): Vec3[] => [-1, 1].flatMap((i) => [-1, 1].flatMap((j) => [-1, 1].map((k): Vec3 => [(i * x) / 2, (j * y) / 2, (k * z) / 2])));
  switch (shape.type) {
    case 'box':
      return box(...shape.size);
    case 'sphere':
      return box(2 * shape.radius, 2 * shape.radius, 2 * shape.radius);
    case 'cylinder':
      return box(2 * shape.radius, 2 * shape.radius, shape.length);
    case 'capsule':
      return box(2 * shape.radius, 2 * shape.radius, shape.length + 2 * shape.radius);
    case 'convex':
      return shape.points;
  }
}

/** A rectangle in a link's x-y plane (m). */
export interface PlanarBox {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

/** The x-y bounding rectangle of a link's collision shapes in its own frame (undefined when it has none). */
export function linkFootprint(robot: RobotSpec, link: string): PlanarBox | undefined {
  const geoms = robot.links.find((l) => l.name === link)?.collisions ?? [];
  const points = geoms.flatMap((g) => {
    const r = rpyMatrix(g.origin.rpy);
    return shapeCorners(g.shape).map((c) => apply(r, c).map((v, i) => v + g.origin.xyz[i]));
  });
  if (points.length === 0) return undefined;
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  return { xMin: Math.min(...xs), xMax: Math.max(...xs), yMin: Math.min(...ys), yMax: Math.max(...ys) };
}
