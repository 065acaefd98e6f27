// MJCF frames: pos plus one of quat, axisangle, euler, xyaxes or zaxis, composed as rotation matrices and
// written out as the URDF-style poses RobotSpec uses.
import type { Pose, Vec3 } from '@itinera/core';
import { matrixRpy, mulMat, mulVec, type Mat3 } from './urdf-pose.js';
import type { MjcfLog } from './mjcf-log.js';
import type { MjcfElement } from './mjcf-xml.js';

export interface Frame {
  r: Mat3;
  p: Vec3;
}

/** `<compiler>` settings that change how numbers read. */
export interface Compiler {
  /** angle="radian"; MuJoCo's default is degrees (for euler, axisangle and hinge ranges). */
  radians: boolean;
  /** Three of x, y, z: lower case turns about the rotating axes, upper case about the fixed ones. */
  eulerseq: string;
  inertiafromgeom: 'true' | 'false' | 'auto';
  autolimits: boolean;
  meshdir: string;
}

const I3: Mat3 = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
export const IDENTITY_FRAME: Frame = { r: I3, p: [0, 0, 0] };
const transpose = (m: Mat3): Mat3 => [0, 1, 2].map((i) => [m[0][i], m[1][i], m[2][i]]) as Mat3;
export const add = (a: Vec3, b: Vec3): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
export const scale = (a: Vec3, k: number): Vec3 => [a[0] * k, a[1] * k, a[2] * k];
const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const unit = (a: Vec3): Vec3 => scale(a, 1 / Math.hypot(...a));

export function compose(a: Frame, b: Frame): Frame {
  return { r: mulMat(a.r, b.r), p: add(a.p, mulVec(a.r, b.p)) };
}

export function invert(f: Frame): Frame {
  const rt = transpose(f.r);
  return { r: rt, p: scale(mulVec(rt, f.p), -1) };
}

export const translation = (p: Vec3): Frame => ({ r: I3, p });
export const rotationOf = (f: Frame): Frame => ({ r: f.r, p: [0, 0, 0] });
export const applyFrame = (f: Frame, v: Vec3): Vec3 => add(f.p, mulVec(f.r, v));

export function toPose(f: Frame): Pose {
  const clean = (x: number) => (Math.abs(x) < 1e-12 ? 0 : x);
  const identity = f.r.every((row, i) => row.every((v, j) => Math.abs(v - (i === j ? 1 : 0)) < 1e-12));
  return { xyz: f.p.map(clean) as Vec3, rpy: identity ? [0, 0, 0] : (matrixRpy(f.r).map(clean) as Vec3) };
}

/** Rotation of unit quaternion (w, x, y, z); MuJoCo normalises what it reads. */
export function quatMatrix([w0, x0, y0, z0]: number[]): Mat3 {
  const n = Math.hypot(w0, x0, y0, z0) || 1;
  const [w, x, y, z] = [w0 / n, x0 / n, y0 / n, z0 / n];
  return [
    [1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)],
    [2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)],
    [2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)],
  ];
}

export function axisAngleMatrix(axis: Vec3, angle: number): Mat3 {
  const [x, y, z] = unit(axis);
  const [c, s] = [Math.cos(angle / 2), Math.sin(angle / 2)];
  return quatMatrix([c, s * x, s * y, s * z]);
}

const AXES: Record<string, Vec3> = { x: [1, 0, 0], y: [0, 1, 0], z: [0, 0, 1] };

/** A frame's pose from an element's pos and orientation attributes (MuJoCo allows one orientation). */
export function readFrame(el: MjcfElement, attrs: Record<string, string>, compiler: Compiler, log: MjcfLog, label: string): Frame {
  const p = log.numbers(el, attrs, 'pos', 3, label, [0, 0, 0]) as Vec3;
  return { r: readOrientation(el, attrs, compiler, log, label), p };
}

export function readOrientation(el: MjcfElement, attrs: Record<string, string>, compiler: Compiler, log: MjcfLog, label: string): Mat3 {
  const r = orientation(el, attrs, compiler, log, label);
  if (r.flat().every(Number.isFinite)) return r;
  const attr = ['xyaxes', 'zaxis'].find((k) => attrs[k] !== undefined);
  // Bad numbers were reported already; zero or parallel axes were not.
  if (attr && attrs[attr].trim().split(/\s+/).map(Number).every(Number.isFinite)) log.problem(el, `${label}: <${el.tag} ${attr}> does not define a rotation (got '${attrs[attr]}')`);
  return I3;
}

function orientation(el: MjcfElement, attrs: Record<string, string>, compiler: Compiler, log: MjcfLog, label: string): Mat3 {
  const given = ['quat', 'axisangle', 'euler', 'xyaxes', 'zaxis'].filter((k) => attrs[k] !== undefined);
  if (given.length > 1) log.problem(el, `${label}: give one orientation, not ${given.map((k) => `'${k}'`).join(' and ')}`);
  const angle = (v: number) => (compiler.radians ? v : (v * Math.PI) / 180);
  switch (given[0]) {
    case 'quat':
      return quatMatrix(log.numbers(el, attrs, 'quat', 4, label));
    case 'axisangle': {
      const [x, y, z, a] = log.numbers(el, attrs, 'axisangle', 4, label);
      return Math.hypot(x, y, z) > 0 ? axisAngleMatrix([x, y, z], angle(a)) : I3;
    }
    case 'euler': {
      const angles = log.numbers(el, attrs, 'euler', 3, label);
      let r = I3;
      [...compiler.eulerseq].forEach((axis, i) => {
        const turn = axisAngleMatrix(AXES[axis.toLowerCase()], angle(angles[i]));
        r = axis === axis.toLowerCase() ? mulMat(r, turn) : mulMat(turn, r);
      });
      return r;
    }
    case 'xyaxes': {
      const v = log.numbers(el, attrs, 'xyaxes', 6, label);
      const x = unit(v.slice(0, 3) as Vec3);
      const yRaw = v.slice(3, 6) as Vec3;
      const y = unit(add(yRaw, scale(x, -(x[0] * yRaw[0] + x[1] * yRaw[1] + x[2] * yRaw[2]))));
      return transpose([x, y, cross(x, y)]);
    }
    case 'zaxis':
      return zAxisMatrix(log.numbers(el, attrs, 'zaxis', 3, label) as Vec3);
    default:
      return I3;
  }
}

/** The shortest rotation taking z onto `to` (MuJoCo's zaxis and fromto). */
export function zAxisMatrix(to: Vec3): Mat3 {
  const z = unit(to);
  const axis = cross([0, 0, 1], z);
  const s = Math.hypot(...axis);
  if (s < 1e-12) return z[2] > 0 ? I3 : axisAngleMatrix([1, 0, 0], Math.PI);
  return axisAngleMatrix(axis, Math.atan2(s, z[2]));
}
