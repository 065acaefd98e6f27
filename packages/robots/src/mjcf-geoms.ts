// One MJCF <geom> to a RobotSpec collision shape (in the link frame) and its share of the body's mass.
import { isAbsolute, resolve } from 'node:path';
import type { Geom, Shape, Vec3 } from '@itinera/core';
import { compose, readFrame, scale, toPose, zAxisMatrix, type Compiler, type Frame } from './mjcf-frames.js';
import { hullMass, primitiveMass, type MassPart } from './mjcf-inertia.js';
import type { MjcfLog } from './mjcf-log.js';
import type { MjcfElement } from './mjcf-xml.js';
import { meshCollision, type MeshContext } from './urdf-mesh.js';

/** What one import shares: compiler settings, the <asset> meshes, files read once, what to note. */
export interface MjcfContext {
  compiler: Compiler;
  log: MjcfLog;
  /** Folder of the top model file (meshdir is relative to it). */
  modelDir: string;
  meshes: Map<string, { file: string; scale: Vec3 }>;
  meshFiles: MeshContext;
  /** What is read approximately or not at all, for the summary warning. */
  notes: Set<string>;
  /** Joints whose range excludes 0, where every joint starts. */
  outsideRange: string[];
}

export interface ReadGeom {
  collision?: Geom;
  mass?: MassPart;
}

/** Points on a unit sphere (Fibonacci lattice): an ellipsoid becomes the convex hull of these, scaled. */
const SPHERE_POINTS: Vec3[] = Array.from({ length: 48 }, (_, i) => {
  const z = 1 - (2 * i + 1) / 48;
  const r = Math.sqrt(1 - z * z);
  const a = i * Math.PI * (3 - Math.sqrt(5));
  return [r * Math.cos(a), r * Math.sin(a), z];
});

const isCollider = (attrs: Record<string, string>) => !(attrs.contype === '0' && attrs.conaffinity === '0');

/** `frame` places the geom's parent (body or <frame>) in the link frame. */
export function readGeom(el: MjcfElement, attrs: Record<string, string>, frame: Frame, ctx: MjcfContext, label: string, needMass: boolean): ReadGeom {
  const { log } = ctx;
  const type = attrs.type ?? 'sphere';
  const at = `${label}: geom${attrs.name ? ` '${attrs.name}'` : ''}`;
  let size = log.someNumbers(el, attrs, 'size', at);
  let local = readFrame(el, attrs, ctx.compiler, log, at);
  if (attrs.fromto !== undefined && ['capsule', 'cylinder', 'box', 'ellipsoid'].includes(type)) {
    const [x0, y0, z0, x1, y1, z1] = log.numbers(el, attrs, 'fromto', 6, at);
    const d: Vec3 = [x1 - x0, y1 - y0, z1 - z0];
    if (Math.hypot(...d) === 0) log.problem(el, `${at}: <geom fromto> needs two different ends (got '${attrs.fromto}')`);
    local = { r: zAxisMatrix(d), p: [(x0 + x1) / 2, (y0 + y1) / 2, (z0 + z1) / 2] };
    const half = Math.hypot(...d) / 2;
    size = type === 'box' || type === 'ellipsoid' ? [size[0], size[1] ?? size[0], half] : [size[0], half];
  }
  const inLink = compose(frame, local);
  const origin = toPose(inLink);
  const collide = isCollider(attrs);
  const massOf = (volume: number, inertia: (m: number) => MassPart['inertia'], centre: Vec3 = [0, 0, 0]): MassPart => {
    const mass = attrs.mass !== undefined ? log.numbers(el, attrs, 'mass', 1, at)[0] : log.numbers(el, attrs, 'density', 1, at, [1000])[0] * volume;
    return { mass, centre, inertia: inertia(mass), frame: inLink };
  };
  const need = (count: number) => {
    if (size.length >= count && size.slice(0, count).every((v) => v > 0)) return true;
    log.problem(el, `${at}: type '${type}' needs ${count} positive size${count > 1 ? 's' : ''} (got '${attrs.size ?? ''}')`);
    return false;
  };
  switch (type) {
    case 'sphere':
    case 'box':
    case 'capsule':
    case 'cylinder':
    case 'ellipsoid': {
      const count = { sphere: 1, box: 3, capsule: 2, cylinder: 2, ellipsoid: 3 }[type];
      if (!need(count)) return {};
      const primitive = primitiveMass(type, size)!;
      const mass = needMass ? massOf(primitive.volume, primitive.inertia) : undefined;
      return { mass, collision: collide ? { shape: primitiveShape(type, size, primitive.volume), origin, ...friction(el, attrs, log, at) } : undefined };
    }
    case 'mesh':
      return readMeshGeom(el, attrs, inLink, ctx, at, needMass, collide, massOf);
    case 'plane':
      ctx.notes.add('plane geoms on bodies (only a worldbody plane is the ground)');
      return {};
    default:
      ctx.notes.add(`${type} geoms`);
      return {};
  }
}

function primitiveShape(type: string, size: number[], volume: number): Shape {
  switch (type) {
    case 'sphere':
      return { type: 'sphere', radius: size[0] };
    case 'box':
      return { type: 'box', size: scale(size.slice(0, 3) as Vec3, 2) };
    case 'capsule':
    case 'cylinder':
      return { type, radius: size[0], length: 2 * size[1] };
    default: // ellipsoid: the hull of points on its surface
      return { type: 'convex', points: SPHERE_POINTS.map((p) => [p[0] * size[0], p[1] * size[1], p[2] * size[2]] as Vec3), volume };
  }
}

function friction(el: MjcfElement, attrs: Record<string, string>, log: MjcfLog, at: string): { friction?: number } {
  const [slide] = log.someNumbers(el, attrs, 'friction', at);
  return slide === undefined ? {} : { friction: slide };
}

function readMeshGeom(
  el: MjcfElement, attrs: Record<string, string>, inLink: Frame, ctx: MjcfContext, at: string, needMass: boolean, collide: boolean,
  massOf: (volume: number, inertia: (m: number) => MassPart['inertia'], centre: Vec3) => MassPart,
): ReadGeom {
  if (!collide && !needMass) return {}; // a visual mesh: not read at all
  const mesh = attrs.mesh === undefined ? undefined : ctx.meshes.get(attrs.mesh);
  if (!mesh) {
    ctx.log.problem(el, `${at}: ${attrs.mesh === undefined ? "type 'mesh' needs a mesh attribute" : `no <asset><mesh name="${attrs.mesh}"> exists`}`);
    return {};
  }
  const path = isAbsolute(mesh.file) ? mesh.file : resolve(ctx.modelDir, ctx.compiler.meshdir, mesh.file);
  const standIn = meshCollision(path, mesh.scale, toPose(inLink), ctx.meshFiles);
  if (standIn.note) ctx.log.warning(el, `${at}: ${standIn.note}`);
  let mass: MassPart | undefined;
  if (needMass && standIn.shape.type === 'convex') {
    const hull = hullMass(standIn.shape.points);
    if (hull) mass = massOf(hull.volume, hull.inertia, hull.centre);
  }
  if (needMass && !mass) ctx.log.warning(el, `${at}: its mesh gives no volume, so it adds no mass`);
  return { mass, collision: collide ? { shape: standIn.shape, origin: standIn.origin, ...friction(el, attrs, ctx.log, at) } : undefined };
}
