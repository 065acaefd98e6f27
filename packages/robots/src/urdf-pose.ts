// Composing URDF poses (xyz + fixed-axis rpy), for folding a frame link's joint into its parent.
import type { Pose, Vec3 } from '@itinera/core';

export type Mat3 = [Vec3, Vec3, Vec3]; // rows

/** R = Rz(yaw)·Ry(pitch)·Rx(roll), as URDF defines rpy. */
export function rpyMatrix([r, p, y]: Vec3): Mat3 {
  const [cr, sr, cp, sp, cy, sy] = [Math.cos(r), Math.sin(r), Math.cos(p), Math.sin(p), Math.cos(y), Math.sin(y)];
  return [
    [cy * cp, cy * sp * sr - sy * cr, cy * sp * cr + sy * sr],
    [sy * cp, sy * sp * sr + cy * cr, sy * sp * cr - cy * sr],
    [-sp, cp * sr, cp * cr],
  ];
}

export function matrixRpy(m: Mat3): Vec3 {
  const pitch = Math.atan2(-m[2][0], Math.hypot(m[0][0], m[1][0]));
  // At gimbal lock (pitch ±90°) roll and yaw share one angle: put it all in yaw.
  if (Math.hypot(m[0][0], m[1][0]) < 1e-9) return [0, pitch, Math.atan2(-m[0][1], m[1][1])];
  return [Math.atan2(m[2][1], m[2][2]), pitch, Math.atan2(m[1][0], m[0][0])];
}

export const mulVec = (m: Mat3, v: Vec3): Vec3 => m.map((row) => row[0] * v[0] + row[1] * v[1] + row[2] * v[2]) as Vec3;
export const mulMat = (a: Mat3, b: Mat3): Mat3 => a.map((row) => [0, 1, 2].map((j) => row[0] * b[0][j] + row[1] * b[1][j] + row[2] * b[2][j])) as Mat3;

/** The pose `inner` (given in the frame `outer` places) expressed in outer's parent frame. */
export function composePose(outer: Pose, inner: Pose): Pose {
  const r = rpyMatrix(outer.rpy);
  const t = mulVec(r, inner.xyz);
  const isZero = (v: Vec3) => v.every((x) => x === 0);
  const rpy = isZero(inner.rpy) ? outer.rpy : isZero(outer.rpy) ? inner.rpy : matrixRpy(mulMat(r, rpyMatrix(inner.rpy)));
  return { xyz: [outer.xyz[0] + t[0], outer.xyz[1] + t[1], outer.xyz[2] + t[2]], rpy: [...rpy] as Vec3 };
}
