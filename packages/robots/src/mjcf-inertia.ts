// Mass properties of MJCF geoms (MuJoCo's formulas) and their sum over a body, as MuJoCo derives a body's
// inertial from its geoms when it has no <inertial>.
import quickhull from 'quickhull3d/dist/quickhull3d.js';
import type { Inertia, Vec3 } from '@itinera/core';
import { mulMat, type Mat3 } from './urdf-pose.js';
import type { Frame } from './mjcf-frames.js';

/** A geom's mass and its inertia about its centre, in the geom frame. */
export interface MassPart {
  mass: number;
  /** Centre of mass in the geom frame (the origin but for meshes). */
  centre: Vec3;
  inertia: Mat3;
  frame: Frame;
}

const diag = (x: number, y: number, z: number): Mat3 => [[x, 0, 0], [0, y, 0], [0, 0, z]];
const transpose = (m: Mat3): Mat3 => [0, 1, 2].map((i) => [m[0][i], m[1][i], m[2][i]]) as Mat3;

/** Volume and unit-density inertia (about the centre) of a primitive, MuJoCo's size conventions (half sizes). */
export function primitiveMass(type: string, size: number[]): { volume: number; inertia: (mass: number) => Mat3 } | undefined {
  const [a, b, c] = size;
  switch (type) {
    case 'sphere':
      return { volume: (4 / 3) * Math.PI * a ** 3, inertia: (m) => diag(0.4 * m * a * a, 0.4 * m * a * a, 0.4 * m * a * a) };
    case 'box':
      return { volume: 8 * a * b * c, inertia: (m) => diag((m * (b * b + c * c)) / 3, (m * (a * a + c * c)) / 3, (m * (a * a + b * b)) / 3) };
    case 'ellipsoid':
      return { volume: (4 / 3) * Math.PI * a * b * c, inertia: (m) => diag((m * (b * b + c * c)) / 5, (m * (a * a + c * c)) / 5, (m * (a * a + b * b)) / 5) };
    case 'cylinder': {
      const h = 2 * b;
      return { volume: Math.PI * a * a * h, inertia: (m) => diag((m * (3 * a * a + h * h)) / 12, (m * (3 * a * a + h * h)) / 12, (m * a * a) / 2) };
    }
    case 'capsule': {
      const h = 2 * b;
      const cylinder = Math.PI * a * a * h;
      const sphere = (4 / 3) * Math.PI * a ** 3;
      return {
        volume: cylinder + sphere,
        inertia: (m) => {
          const [mc, ms] = [(m * cylinder) / (cylinder + sphere), (m * sphere) / (cylinder + sphere)];
          const side = (mc * (3 * a * a + h * h)) / 12 + ms * ((2 * a * a) / 5 + (h * h) / 4 + (3 * h * a) / 8);
          return diag(side, side, (mc * a * a) / 2 + (ms * 2 * a * a) / 5);
        },
      };
    }
    default:
      return undefined;
  }
}

/** Volume, centroid and unit-density inertia about the centroid of the convex hull of `points`. */
export function hullMass(points: Vec3[]): { volume: number; centre: Vec3; inertia: (mass: number) => Mat3 } | undefined {
  let faces: number[][];
  try {
    faces = quickhull(points);
  } catch {
    return undefined;
  }
  const ref = points[0];
  let volume = 0;
  const first: Vec3 = [0, 0, 0];
  const second: number[][] = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  for (const [ia, ib, ic] of faces) {
    const [a, b, c] = [points[ia], points[ib], points[ic]].map((p) => [p[0] - ref[0], p[1] - ref[1], p[2] - ref[2]] as Vec3);
    const det = a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0]) + a[2] * (b[0] * c[1] - b[1] * c[0]);
    volume += det / 6;
    const s = [0, 1, 2].map((k) => a[k] + b[k] + c[k]);
    for (let k = 0; k < 3; k++) first[k] += (det / 24) * s[k];
    // The tetrahedron (0, a, b, c) has second moment det/120 · (aaᵀ + bbᵀ + ccᵀ + ssᵀ).
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) second[i][j] += (det / 120) * (a[i] * a[j] + b[i] * b[j] + c[i] * c[j] + s[i] * s[j]);
  }
  if (!(Math.abs(volume) > 1e-12)) return undefined;
  const sign = Math.sign(volume);
  volume = Math.abs(volume);
  const com = first.map((v) => (sign * v) / volume) as Vec3;
  // Covariance about the centroid, per unit volume.
  const cov = second.map((row, i) => row.map((v, j) => (sign * v) / volume - com[i] * com[j]));
  const trace = cov[0][0] + cov[1][1] + cov[2][2];
  const unitInertia = cov.map((row, i) => row.map((v, j) => (i === j ? trace : 0) - v)) as Mat3;
  return { volume, centre: [com[0] + ref[0], com[1] + ref[1], com[2] + ref[2]], inertia: (m) => unitInertia.map((row) => row.map((v) => v * m)) as Mat3 };
}

/** The parts' total mass, centre and inertia about that centre, in the frame the parts' frames are given in. */
export function sumMass(parts: MassPart[]): { mass: number; centre: Vec3; inertia: Inertia } {
  const mass = parts.reduce((m, p) => m + p.mass, 0);
  const at = parts.map((p) => {
    const r = p.frame.r;
    return [0, 1, 2].map((i) => p.frame.p[i] + r[i][0] * p.centre[0] + r[i][1] * p.centre[1] + r[i][2] * p.centre[2]) as Vec3;
  });
  const centre = [0, 1, 2].map((k) => (mass > 0 ? parts.reduce((s, p, i) => s + p.mass * at[i][k], 0) / mass : 0)) as Vec3;
  const total: number[][] = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  parts.forEach((p, n) => {
    const rotated = mulMat(mulMat(p.frame.r, p.inertia), transpose(p.frame.r));
    const d = [0, 1, 2].map((k) => at[n][k] - centre[k]);
    const d2 = d[0] ** 2 + d[1] ** 2 + d[2] ** 2;
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) total[i][j] += rotated[i][j] + p.mass * ((i === j ? d2 : 0) - d[i] * d[j]);
  });
  return { mass, centre, inertia: { ixx: total[0][0], iyy: total[1][1], izz: total[2][2], ixy: total[0][1], ixz: total[0][2], iyz: total[1][2] } };
}
