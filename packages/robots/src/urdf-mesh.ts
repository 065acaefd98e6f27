// A mesh collision becomes the convex hull of its vertices (what MuJoCo and pybullet collide with), cut to a
// vertex budget; a flat mesh becomes its bounding box, and a file that cannot be read a sphere sized from the
// link's inertia, with a warning saying which and why.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import quickhull from 'quickhull3d/dist/quickhull3d.js';
import type { Inertia, Pose, Shape, Vec3 } from '@itinera/core';
import { composePose } from './urdf-pose.js';
import { resolvePackageUri, type PackageLookup } from './urdf-package.js';

/** Radius of the stand-in sphere when a link declares no inertia to size it from. */
const DEFAULT_SPHERE_RADIUS = 0.05;
/** A flat mesh (a plate) still needs a box with some thickness. */
const MIN_THICKNESS = 0.001;
/** Most vertices a hull keeps: contact cost grows with them, and 64 well-spread points trace a link closely. */
export const MAX_HULL_POINTS = 64;
/** A hull thinner than this (m³) is a plate: it becomes a box. */
const MIN_HULL_VOLUME = 1e-12;

/** What meshes one URDF import reads: the package search, and each file's vertices read once. */
export interface MeshContext {
  lookup: PackageLookup;
  vertices: Map<string, Vec3[] | undefined>;
  /** Collision meshes in formats not read (DAE), for one summary warning. */
  unread: string[];
}

export interface MeshStandIn {
  shape: Shape;
  origin: Pose;
  /** Says what replaced the mesh, for a warning line; absent for a hull (the expected outcome). */
  note?: string;
}

export function meshCollision(filename: string, scale: Vec3, origin: Pose, context: MeshContext, inertial?: { mass: number; inertia: Inertia }): MeshStandIn {
  const found = meshPath(filename, context.lookup);
  const extension = 'path' in found ? extname(found.path).toLowerCase() : '';
  const readable = extension === '.stl' || extension === '.obj';
  let points: Vec3[] | undefined;
  if ('path' in found && readable) {
    if (!context.vertices.has(found.path)) context.vertices.set(found.path, readVertices(found.path, extension));
    points = context.vertices.get(found.path)?.map((p) => [p[0] * scale[0], p[1] * scale[1], p[2] * scale[2]]);
  }
  if (points && points.length > 0) {
    const hull = points.length >= 4 ? convexHull(points) : undefined;
    if (hull) return { shape: { type: 'convex', points: hull.points, volume: hull.volume }, origin };
    return boundingBox(points, origin, filename);
  }
  const radius = inertial ? gyrationRadius(inertial.mass, inertial.inertia) : DEFAULT_SPHERE_RADIUS;
  const shape: Shape = { type: 'sphere', radius };
  if ('path' in found && !readable) {
    context.unread.push(filename);
    return { shape, origin };
  }
  const why = 'missing' in found ? found.missing : 'the file holds no readable vertices';
  return { shape, origin, note: `mesh '${filename}' replaced by a sphere of radius ${round(radius)} m (${why})` };
}

/** Relative names are relative to the URDF file; `package://` is resolved as ROS does. */
function meshPath(filename: string, lookup: PackageLookup): { path: string } | { missing: string } {
  if (filename.startsWith('package://')) return resolvePackageUri(filename, lookup);
  const path = filename.startsWith('file://') ? fileURLToPath(filename) : isAbsolute(filename) ? filename : resolve(dirname(resolve(lookup.urdfPath)), filename);
  return existsSync(path) ? { path } : { missing: `file not found: ${path}` };
}

function readVertices(path: string, extension: string): Vec3[] | undefined {
  try {
    const coords = extension === '.stl' ? stlCoordinates(readFileSync(path)) : objCoordinates(readFileSync(path, 'utf8'));
    if (coords.length < 3 || !coords.every(Number.isFinite)) return undefined;
    // STL repeats each vertex once per triangle: hull only distinct points.
    const distinct = new Map<string, Vec3>();
    for (let i = 0; i + 2 < coords.length; i += 3) distinct.set(`${coords[i]} ${coords[i + 1]} ${coords[i + 2]}`, [coords[i], coords[i + 1], coords[i + 2]]);
    return [...distinct.values()];
  } catch {
    return undefined; // an unreadable mesh falls back to the sphere
  }
}

function stlCoordinates(bytes: Buffer): number[] {
  const triangles = bytes.length >= 84 ? bytes.readUInt32LE(80) : -1;
  if (bytes.length === 84 + 50 * triangles) {
    const out: number[] = [];
    for (let t = 0; t < triangles; t++)
      for (let k = 0; k < 9; k++) out.push(bytes.readFloatLE(84 + 50 * t + 12 + 4 * k));
    return out;
  }
  return [...bytes.toString('utf8').matchAll(/vertex\s+(\S+)\s+(\S+)\s+(\S+)/gi)].flatMap((m) => [m[1], m[2], m[3]].map(Number));
}

function objCoordinates(text: string): number[] {
  return [...text.matchAll(/^v\s+(\S+)\s+(\S+)\s+(\S+)/gm)].flatMap((m) => [m[1], m[2], m[3]].map(Number));
}

/** The hull's vertices (at most MAX_HULL_POINTS, spread by farthest-point sampling) and its volume; none if flat. */
export function convexHull(points: Vec3[]): { points: Vec3[]; volume: number } | undefined {
  let hull = hullOf(points);
  if (hull && hull.points.length > MAX_HULL_POINTS) hull = hullOf(farthestPoints(hull.points, MAX_HULL_POINTS));
  return hull && hull.volume > MIN_HULL_VOLUME ? hull : undefined;
}

function hullOf(points: Vec3[]): { points: Vec3[]; volume: number } | undefined {
  let faces: number[][];
  try {
    faces = quickhull(points);
  } catch {
    return undefined; // degenerate input (all points on a plane or a line)
  }
  // Volume from the faces' tetrahedra to the origin; quickhull orients every face outward alike.
  let volume = 0;
  for (const [a, b, c] of faces) volume += det(points[a], points[b], points[c]) / 6;
  const used = [...new Set(faces.flat())].sort((x, y) => x - y);
  return { points: used.map((i) => points[i]), volume: Math.abs(volume) };
}

const det = (a: Vec3, b: Vec3, c: Vec3) => a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0]) + a[2] * (b[0] * c[1] - b[1] * c[0]);
const dist2 = (a: Vec3, b: Vec3) => (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2 + (a[2] - b[2]) ** 2;

/** `count` points spread over the set: each next one is the farthest from those already taken (deterministic). */
function farthestPoints(points: Vec3[], count: number): Vec3[] {
  const taken = [0];
  const nearest = points.map((p) => dist2(p, points[0]));
  while (taken.length < count) {
    let best = 0;
    for (let i = 1; i < points.length; i++) if (nearest[i] > nearest[best]) best = i;
    taken.push(best);
    points.forEach((p, i) => (nearest[i] = Math.min(nearest[i], dist2(p, points[best]))));
  }
  return taken.map((i) => points[i]);
}

function boundingBox(points: Vec3[], origin: Pose, filename: string): MeshStandIn {
  const lo = [0, 1, 2].map((k) => points.reduce((m, p) => Math.min(m, p[k]), Infinity));
  const hi = [0, 1, 2].map((k) => points.reduce((m, p) => Math.max(m, p[k]), -Infinity));
  const size = lo.map((v, i) => Math.max(hi[i] - v, MIN_THICKNESS)) as Vec3;
  const centre = lo.map((v, i) => (v + hi[i]) / 2) as Vec3;
  const shifted = composePose(origin, { xyz: centre, rpy: [0, 0, 0] }).xyz;
  const text = size.map((v) => round(v)).join(' × ');
  return { shape: { type: 'box', size }, origin: { xyz: shifted, rpy: origin.rpy }, note: `mesh '${filename}' is flat; replaced by its bounding box ${text} m` };
}

/** The radius of the solid sphere with this mass and mean moment of inertia. */
function gyrationRadius(mass: number, { ixx, iyy, izz }: Inertia): number {
  const r = Math.sqrt((2.5 * (ixx + iyy + izz)) / 3 / mass);
  return Number.isFinite(r) && r > 0 ? r : DEFAULT_SPHERE_RADIUS;
}

const round = (x: number) => Number(x.toPrecision(3));
