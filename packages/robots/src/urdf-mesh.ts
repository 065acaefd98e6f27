// Meshes are not simulated: a mesh collision becomes the box that bounds it (STL and OBJ files are read)
// or, when the file cannot be read, a sphere sized from the link's inertia.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Inertia, Pose, Shape, Vec3 } from '@itinera/core';

/** Radius of the stand-in sphere when a link declares no inertia to size it from. */
const DEFAULT_SPHERE_RADIUS = 0.05;
/** A flat mesh (a plate) still needs a box with some thickness. */
const MIN_THICKNESS = 0.001;

export interface MeshStandIn {
  shape: Shape;
  origin: Pose;
  /** Says what replaced the mesh, for a warning line. */
  note: string;
}

export function meshStandIn(filename: string, scale: Vec3, origin: Pose, urdfSource: string, inertial?: { mass: number; inertia: Inertia }): MeshStandIn {
  const path = meshPath(filename, urdfSource);
  const bounds = path ? readMeshBounds(path) : undefined;
  if (bounds) {
    const lo = bounds.min.map((v, i) => v * scale[i]);
    const hi = bounds.max.map((v, i) => v * scale[i]);
    const size = lo.map((v, i) => Math.max(Math.abs(hi[i] - v), MIN_THICKNESS)) as Vec3;
    const centre = lo.map((v, i) => (v + hi[i]) / 2) as Vec3;
    const shifted = add(origin.xyz, rotateRpy(origin.rpy, centre));
    const text = size.map((v) => round(v)).join(' × ');
    return { shape: { type: 'box', size }, origin: { xyz: shifted, rpy: origin.rpy }, note: `mesh '${filename}' replaced by its bounding box ${text} m` };
  }
  const radius = inertial ? gyrationRadius(inertial.mass, inertial.inertia) : DEFAULT_SPHERE_RADIUS;
  const why = path ? 'only STL and OBJ meshes are read' : 'file not found';
  return {
    shape: { type: 'sphere', radius },
    origin,
    note: `mesh '${filename}' replaced by a sphere of radius ${round(radius)} m (${why})`,
  };
}

/** The radius of the solid sphere with this mass and mean moment of inertia. */
function gyrationRadius(mass: number, { ixx, iyy, izz }: Inertia): number {
  const r = Math.sqrt((2.5 * (ixx + iyy + izz)) / 3 / mass);
  return Number.isFinite(r) && r > 0 ? r : DEFAULT_SPHERE_RADIUS;
}

/** Relative names are relative to the URDF file; `package://pkg/x` is tried next to and above it. */
function meshPath(filename: string, urdfSource: string): string | undefined {
  const here = dirname(resolve(urdfSource));
  let candidates: string[];
  if (filename.startsWith('package://')) {
    const rest = filename.slice('package://'.length).split('/').slice(1).join('/');
    candidates = [resolve(here, '..', rest), resolve(here, rest)];
  } else if (filename.startsWith('file://')) {
    candidates = [fileURLToPath(filename)];
  } else {
    candidates = [isAbsolute(filename) ? filename : resolve(here, filename)];
  }
  return candidates.find((p) => existsSync(p));
}

function readMeshBounds(path: string): { min: Vec3; max: Vec3 } | undefined {
  const lower = path.toLowerCase();
  try {
    if (lower.endsWith('.stl')) return boundsOf(stlVertices(readFileSync(path)));
    if (lower.endsWith('.obj')) return boundsOf(objVertices(readFileSync(path, 'utf8')));
  } catch {
    return undefined; // an unreadable mesh falls back to the sphere
  }
  return undefined;
}

function stlVertices(bytes: Buffer): number[] {
  const triangles = bytes.length >= 84 ? bytes.readUInt32LE(80) : -1;
  if (bytes.length === 84 + 50 * triangles) {
    const out: number[] = [];
    for (let t = 0; t < triangles; t++)
      for (let k = 0; k < 9; k++) out.push(bytes.readFloatLE(84 + 50 * t + 12 + 4 * k));
    return out;
  }
  return [...bytes.toString('utf8').matchAll(/vertex\s+(\S+)\s+(\S+)\s+(\S+)/g)].flatMap((m) => [m[1], m[2], m[3]].map(Number));
}

function objVertices(text: string): number[] {
  return [...text.matchAll(/^v\s+(\S+)\s+(\S+)\s+(\S+)/gm)].flatMap((m) => [m[1], m[2], m[3]].map(Number));
}

function boundsOf(coords: number[]): { min: Vec3; max: Vec3 } | undefined {
  if (coords.length < 3 || !coords.every(Number.isFinite)) return undefined;
  const min: Vec3 = [Infinity, Infinity, Infinity];
  const max: Vec3 = [-Infinity, -Infinity, -Infinity];
  coords.forEach((v, i) => {
    min[i % 3] = Math.min(min[i % 3], v);
    max[i % 3] = Math.max(max[i % 3], v);
  });
  return { min, max };
}

const add = (a: Vec3, b: Vec3): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
const round = (x: number) => Number(x.toPrecision(3));

/** R = Rz(yaw)·Ry(pitch)·Rx(roll) applied to v, as URDF defines rpy. */
function rotateRpy([r, p, y]: Vec3, [x0, y0, z0]: Vec3): Vec3 {
  const [cr, sr, cp, sp, cy, sy] = [Math.cos(r), Math.sin(r), Math.cos(p), Math.sin(p), Math.cos(y), Math.sin(y)];
  const [x1, y1, z1] = [x0, cr * y0 - sr * z0, sr * y0 + cr * z0];
  const [x2, y2, z2] = [cp * x1 + sp * z1, y1, -sp * x1 + cp * z1];
  return [cy * x2 - sy * y2, sy * x2 + cy * y2, z2];
}
