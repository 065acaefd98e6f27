// Reading one <link> or <joint> element into RobotSpec parts. A value that cannot be read is reported
// once, here, in URDF words, and left as NaN so the shared semantic checks skip it instead of repeating it.
import type { Geom, Inertia, JointSpec, LinkSpec, Pose, Vec3 } from '@itinera/core';
import { meshCollision, type MeshContext } from './urdf-mesh.js';
import { child, childrenOf, type XmlElement } from './urdf-xml.js';

/** Collects problems and warnings of one file, each with the line it concerns. */
export interface UrdfLog {
  problem(line: number, text: string): void;
  warning(line: number, text: string): void;
}

/** A link as read, before the base is known (a link with no <inertial> is fine only if it never moves). */
export interface ReadLink {
  spec: LinkSpec;
  hasInertial: boolean;
  element: XmlElement;
  /** Lines of the parts of the link, keyed like RobotSpec paths below the link ('mass', 'collisions.0'). */
  lines: Map<string, number>;
}

export type UrdfJointType = JointSpec['type'] | 'floating' | 'planar' | 'unknown';

export interface ReadJoint {
  spec: JointSpec;
  /** The type as written; unsupported types are read as 'fixed' so the tree can still be checked. */
  urdfType: UrdfJointType;
  /** The actuator limit from `<limit effort>`; absent or 0 means the joint is passive. */
  effort?: number;
  element: XmlElement;
  lines: Map<string, number>;
  /** RobotSpec paths below the joint already reported here (the semantic checks must not repeat them). */
  reported: Set<string>;
}

const MOVING_TYPES = ['revolute', 'continuous', 'prismatic'];

/** Reads `count` numbers from an attribute; reports and returns NaNs when it is missing or bad. */
export function readNumbers(el: XmlElement | undefined, attr: string, count: number, log: UrdfLog, label: string, fallback?: number[]): number[] {
  const raw = el?.attrs[attr];
  const at = `<${el?.tag ?? '?'} ${attr}>`;
  const line = el?.line ?? 0;
  if (raw === undefined) {
    if (fallback) return fallback;
    log.problem(line, `${label}: ${at} is missing`);
    return new Array(count).fill(NaN);
  }
  const tokens = raw.trim() === '' ? [] : raw.trim().split(/\s+/);
  const what = count === 1 ? 'a finite number' : `${count} finite numbers`;
  const values = tokens.map(Number);
  if (tokens.length !== count || !values.every(Number.isFinite)) {
    log.problem(line, `${label}: ${at} must be ${what} (got '${raw}')`);
    return tokens.length === count ? values.map((v) => (Number.isFinite(v) ? v : NaN)) : new Array(count).fill(NaN);
  }
  return values;
}

export function readPose(el: XmlElement | undefined, log: UrdfLog, label: string): Pose {
  return {
    xyz: readNumbers(el, 'xyz', 3, log, label, [0, 0, 0]) as Vec3,
    rpy: readNumbers(el, 'rpy', 3, log, label, [0, 0, 0]) as Vec3,
  };
}

export function readLink(el: XmlElement, index: number, meshes: MeshContext, log: UrdfLog): ReadLink {
  const name = el.attrs.name ?? `links[${index}]`;
  const label = `link '${name}'`;
  if (el.attrs.name === undefined) log.problem(el.line, `${label}: <link> has no name`);
  const lines = new Map<string, number>();
  const inertialEl = child(el, 'inertial');
  let mass = NaN;
  let inertialOrigin: Pose | undefined;
  let inertia: Inertia | undefined;
  if (inertialEl) {
    const massEl = child(inertialEl, 'mass');
    if (!massEl) log.problem(inertialEl.line, `${label}: <inertial> has no <mass>`);
    else [mass] = readNumbers(massEl, 'value', 1, log, label);
    const originEl = child(inertialEl, 'origin');
    if (originEl) inertialOrigin = readPose(originEl, log, label);
    inertia = readInertia(child(inertialEl, 'inertia'), inertialEl, log, label);
    lines.set('mass', massEl?.line ?? inertialEl.line);
    lines.set('inertia', child(inertialEl, 'inertia')?.line ?? inertialEl.line);
  }
  const collisions = childrenOf(el, 'collision').map((collisionEl, i) => {
    lines.set(`collisions.${i}`, collisionEl.line);
    return readCollision(collisionEl, `${label}: collisions[${i}]`, meshes, log, inertia && { mass, inertia });
  });
  const spec: LinkSpec = { name, mass, ...(inertialOrigin && { inertialOrigin }), ...(inertia && { inertia }), collisions };
  return { spec, hasInertial: inertialEl !== undefined, element: el, lines };
}

function readInertia(el: XmlElement | undefined, inertialEl: XmlElement, log: UrdfLog, label: string): Inertia {
  if (!el) {
    log.problem(inertialEl.line, `${label}: <inertial> has no <inertia>`);
    return { ixx: NaN, iyy: NaN, izz: NaN, ixy: NaN, ixz: NaN, iyz: NaN };
  }
  const read = (attr: string) => readNumbers(el, attr, 1, log, label)[0];
  return { ixx: read('ixx'), iyy: read('iyy'), izz: read('izz'), ixy: read('ixy'), ixz: read('ixz'), iyz: read('iyz') };
}

/** A collision whose shape cannot be read stays as a NaN sphere, so later collisions keep their indices. */
function readCollision(el: XmlElement, label: string, meshes: MeshContext, log: UrdfLog, inertial?: { mass: number; inertia: Inertia }): Geom {
  const origin = readPose(child(el, 'origin'), log, label);
  const unreadable: Geom = { shape: { type: 'sphere', radius: NaN }, origin };
  const geometry = child(el, 'geometry');
  const shapes = geometry ? Object.keys(geometry.children) : [];
  if (!geometry || shapes.length !== 1) {
    const found = shapes.length ? ` (found ${shapes.map((s) => `<${s}>`).join(', ')})` : '';
    log.problem(geometry?.line ?? el.line, `${label}: <geometry> must hold one <box>, <cylinder>, <sphere> or <mesh>${found}`);
    return unreadable;
  }
  const shapeEl = child(geometry, shapes[0])!;
  const num = (attr: string) => readNumbers(shapeEl, attr, 1, log, label)[0];
  switch (shapes[0]) {
    case 'box':
      return { shape: { type: 'box', size: readNumbers(shapeEl, 'size', 3, log, label) as Vec3 }, origin };
    case 'sphere':
      return { shape: { type: 'sphere', radius: num('radius') }, origin };
    case 'cylinder':
    case 'capsule': // not in the URDF standard, but common (Drake, MuJoCo) and native here
      return { shape: { type: shapes[0], radius: num('radius'), length: num('length') }, origin };
    case 'mesh': {
      const filename = shapeEl.attrs.filename;
      if (filename === undefined) {
        log.problem(shapeEl.line, `${label}: <mesh filename> is missing`);
        return unreadable;
      }
      const scale = readNumbers(shapeEl, 'scale', 3, log, label, [1, 1, 1]) as Vec3;
      const standIn = meshCollision(filename, scale, origin, meshes, inertial);
      if (standIn.note) log.warning(shapeEl.line, `${label}: ${standIn.note}`);
      return { shape: standIn.shape, origin: standIn.origin };
    }
    default:
      log.problem(shapeEl.line, `${label}: <${shapes[0]}> is not a supported shape (use <box>, <cylinder>, <sphere> or <mesh>)`);
      return unreadable;
  }
}

export function readJoint(el: XmlElement, index: number, log: UrdfLog): ReadJoint {
  const name = el.attrs.name ?? `joints[${index}]`;
  const label = `joint '${name}'`;
  const reported = new Set<string>();
  const lines = new Map<string, number>();
  if (el.attrs.name === undefined) log.problem(el.line, `${label}: <joint> has no name`);

  const urdfType = jointType(el.attrs.type);
  if (urdfType === 'planar') {
    log.problem(el.line, `${label}: type 'planar' is not supported; use two prismatic joints and a revolute joint, chained through two small links`);
  } else if (urdfType === 'unknown') {
    const got = el.attrs.type === undefined ? 'missing' : `got '${el.attrs.type}'`;
    log.problem(el.line, `${label}: type must be one of 'revolute', 'continuous', 'prismatic', 'fixed' (${got})`);
  }
  const type: JointSpec['type'] = MOVING_TYPES.includes(urdfType) || urdfType === 'fixed' ? (urdfType as JointSpec['type']) : 'fixed';

  const ends = { parent: '', child: '' };
  for (const end of ['parent', 'child'] as const) {
    const endEl = child(el, end);
    lines.set(end, endEl?.line ?? el.line);
    ends[end] = endEl?.attrs.link ?? '';
    if (endEl?.attrs.link === undefined) {
      log.problem(endEl?.line ?? el.line, `${label}: <${end} link> is missing`);
      reported.add(end);
    }
  }

  const originEl = child(el, 'origin');
  lines.set('origin', originEl?.line ?? el.line);
  const origin = readPose(originEl, log, label);
  const moving = MOVING_TYPES.includes(type);
  const axisEl = child(el, 'axis');
  lines.set('axis', axisEl?.line ?? el.line);
  // URDF's default axis is x; a fixed joint's axis is unused, so it gets the YAML default and both formats agree.
  const axis = (moving ? readNumbers(axisEl, 'xyz', 3, log, label, axisEl ? undefined : [1, 0, 0]) : [0, 0, 1]) as Vec3;

  const limitEl = child(el, 'limit');
  lines.set('limit', limitEl?.line ?? el.line);
  let limit: JointSpec['limit'];
  if (type === 'revolute' || type === 'prismatic') {
    if (!limitEl) {
      log.problem(el.line, `${label}: a ${type} joint needs <limit lower="…" upper="…" effort="…" velocity="…"/>`);
      limit = { lower: NaN, upper: NaN };
    } else {
      const [lower] = readNumbers(limitEl, 'lower', 1, log, label);
      const [upper] = readNumbers(limitEl, 'upper', 1, log, label);
      limit = { lower, upper };
    }
  }
  const effort = moving && limitEl ? readNonNegative(limitEl, 'effort', log, label) : undefined;
  const velocity = moving && limitEl ? readNonNegative(limitEl, 'velocity', log, label) : undefined;

  const dynamicsEl = child(el, 'dynamics');
  lines.set('damping', dynamicsEl?.line ?? el.line);
  const [damping] = readNumbers(dynamicsEl, 'damping', 1, log, label, [0]);
  const [friction] = readNumbers(dynamicsEl, 'friction', 1, log, label, [0]);
  if (friction < 0) log.problem(dynamicsEl!.line, `${label}: <dynamics friction> must not be negative (got ${friction})`);
  // The simulator gives a joint one motor: viscous damping, or Coulomb friction, not both.
  if (friction > 0 && damping > 0)
    log.warning(dynamicsEl!.line, `${label}: <dynamics friction="${dynamicsEl!.attrs.friction}"> is not simulated on a damped joint (damping ${damping} is)`);
  const mimicEl = moving ? child(el, 'mimic') : undefined;
  let mimic: JointSpec['mimic'];
  if (mimicEl) {
    if (mimicEl.attrs.joint === undefined) log.problem(mimicEl.line, `${label}: <mimic joint> is missing`);
    const [multiplier] = readNumbers(mimicEl, 'multiplier', 1, log, label, [1]);
    const [offset] = readNumbers(mimicEl, 'offset', 1, log, label, [0]);
    mimic = { joint: mimicEl.attrs.joint ?? '', multiplier, offset };
    lines.set('mimic', mimicEl.line);
  }

  const spec: JointSpec = {
    name, type, parent: ends.parent, child: ends.child, origin, axis, ...(limit && { limit }), damping,
    ...(friction > 0 && { friction }),
    ...(velocity !== undefined && velocity > 0 && { velocity }),
    ...(mimic && { mimic }),
  };
  return { spec, urdfType, ...(effort !== undefined && { effort }), element: el, lines, reported };
}

function readNonNegative(el: XmlElement, attr: string, log: UrdfLog, label: string): number | undefined {
  if (el.attrs[attr] === undefined) return undefined;
  const [value] = readNumbers(el, attr, 1, log, label);
  if (value < 0) log.problem(el.line, `${label}: <limit ${attr}> must not be negative (got ${value})`);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

function jointType(type: string | undefined): UrdfJointType {
  const known: UrdfJointType[] = ['revolute', 'continuous', 'prismatic', 'fixed', 'floating', 'planar'];
  return known.find((t) => t === type) ?? 'unknown';
}
