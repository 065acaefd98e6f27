// The URDF importer: the same RobotSpec the YAML format gives, with every problem reported at once, one line
// each, naming the file, the link or joint and the line. Meaning is checked by validate.ts, shared with YAML.
import { ItineraError, readTextFile, type ActuatorSpec, type Inertia, type Pose, type RobotSpec } from '@itinera/core';
import { readJoint, readLink, type ReadJoint, type ReadLink, type UrdfLog } from './urdf-elements.js';
import { isMassless, mergeFrameLinks } from './urdf-frames.js';
import type { MeshContext } from './urdf-mesh.js';
import { rosPackagePath } from './urdf-package.js';
import { childrenOf, parseUrdfXml } from './urdf-xml.js';
import { findRobotProblems, withUnitAxes } from './validate.js';
import type { Path } from './where.js';

export interface UrdfOptions {
  /**
   * Weld the root link to the world (true) or let it float (false). Default: the file decides, as in ROS —
   * a root link named `world` joined to the robot by a fixed joint means a fixed base; otherwise it floats.
   */
  fixedBase?: boolean;
  /** Folders searched for `package://NAME/…` after the URDF's ancestors (default: ROS_PACKAGE_PATH). */
  packagePath?: string[];
}

export interface UrdfImport {
  robot: RobotSpec;
  /** What the importer replaced or ignored (a mesh, joint friction), one line each, naming file and element. */
  warnings: string[];
}

/** The root link that stands for the world (ROS, Gazebo); its joint to the robot places the base. */
export const WORLD_LINK = 'world';
/** Mass given to a massless root link welded to the world (frame links elsewhere merge into their parents). */
export const FRAME_LINK_MASS = 0.001;
const FRAME_LINK_INERTIA: Inertia = { ixx: 1e-6, iyy: 1e-6, izz: 1e-6, ixy: 0, ixz: 0, iyz: 0 };
const NAN_INERTIA: Inertia = { ixx: NaN, iyy: NaN, izz: NaN, ixy: NaN, ixz: NaN, iyz: NaN };
const IDENTITY: Pose = { xyz: [0, 0, 0], rpy: [0, 0, 0] };

interface Noted {
  line: number;
  text: string;
}

interface BaseChoice {
  link: string;
  fixed: boolean;
  pose: Pose;
  line: number;
  /** The `world` link and its joint, which become the base's fixed flag and pose rather than parts. */
  dropped?: { link: ReadLink; joint: ReadJoint };
  /** Every link has a parent (a loop, reported by the tree check), so the base is a guess. */
  guessed: boolean;
}

/** The largest URDF read: real ones (meshes are separate files) are tens to hundreds of KiB. */
export const MAX_URDF_BYTES = 8 * 1024 * 1024;

export function loadUrdfFile(path: string, options: UrdfOptions = {}): UrdfImport {
  return parseUrdf(readTextFile(path, 'robot file', MAX_URDF_BYTES), path, options);
}

export function parseUrdf(text: string, source: string, options: UrdfOptions = {}): UrdfImport {
  const problems: Noted[] = [];
  const warnings: Noted[] = [];
  const log: UrdfLog = {
    problem: (line, text) => problems.push({ line, text }),
    warning: (line, text) => warnings.push({ line, text }),
  };
  const robotEl = parseUrdfXml(text, source);
  const name = robotEl.attrs.name ?? '';
  if (!name) log.problem(robotEl.line, 'robot: <robot> has no name');
  const meshes: MeshContext = { lookup: { urdfPath: source, packagePath: options.packagePath ?? rosPackagePath(), found: new Map() }, vertices: new Map(), unread: [] };
  const allLinks = childrenOf(robotEl, 'link').map((el, i) => readLink(el, i, meshes, log));
  const unread = meshes.unread.length;
  if (unread > 0)
    log.warning(robotEl.line, `${unread} collision mesh${unread > 1 ? 'es' : ''} in a format not read (only STL and OBJ are) became ${unread > 1 ? "spheres sized from their links'" : "a sphere sized from its link's"} inertia: ${[...new Set(meshes.unread)].join(', ')}`);
  const allJoints = childrenOf(robotEl, 'joint').map((el, i) => readJoint(el, i, log));
  if (allLinks.length === 0) throw new ItineraError(`${source}: robot '${name}': has no <link> (line ${robotEl.line})`);

  const base = chooseBase(allLinks, allJoints, options);
  const merged = mergeFrameLinks(
    allLinks.filter((l) => l !== base.dropped?.link),
    allJoints.filter((j) => j !== base.dropped?.joint),
    base.link,
    (text) => log.warning(robotEl.line, text),
  );
  const { links, joints } = merged;
  for (const joint of joints)
    if (joint.urdfType === 'floating')
      log.problem(joint.element.line, `joint '${joint.spec.name}': type 'floating' is only supported from the root link '${WORLD_LINK}', where it sets the floating base's start pose; use a fixed joint, or leave the link out`);
  checkMasslessLinks(links, joints, base, log);

  const actuators: ActuatorSpec[] = joints
    // A mimic joint follows its leader: it has no actuator of its own.
    .filter((j) => j.spec.type !== 'fixed' && !j.spec.mimic && j.effort !== undefined && j.effort > 0)
    .map((j) => ({ name: j.spec.name, joint: j.spec.name, limit: j.effort! }));
  const initialJoints = startInsideLimits(joints, log);
  const spec: RobotSpec = {
    name,
    base: { link: base.link, fixed: base.fixed, pose: base.pose },
    links: links.map((l) => l.spec),
    joints: joints.map((j) => j.spec),
    actuators,
    sensors: {},
    ...(merged.frames.length > 0 && { frames: merged.frames }),
    ...(initialJoints && { initialJoints }),
  };

  const lines = lineBook(robotEl.line, base, links, joints, actuators);
  const reported = new Set(joints.flatMap((j, i) => [...j.reported].map((key) => `joints.${i}.${key}`)));
  if (!name) reported.add('name');
  for (const p of findRobotProblems(spec)) {
    // NaN marks a value already reported in URDF words; a guessed base is not worth a line of its own.
    if (isNonFiniteAt(spec, p.path) || reported.has(p.path.join('.')) || (base.guessed && p.path[0] === 'base')) continue;
    problems.push({ line: lineOf(lines, p.path), text: p.text });
  }
  const format = (n: Noted) => `${source}: ${n.text} (line ${n.line})`;
  const byLine = (a: Noted, b: Noted) => a.line - b.line;
  if (problems.length > 0) throw new ItineraError(problems.sort(byLine).map(format));
  return { robot: withUnitAxes({ ...spec, source }), warnings: warnings.sort(byLine).map(format) };
}

/**
 * The root is a link no joint names as its child. A `world` root with one fixed or floating joint is not a part,
 * nor is a massless root fixed to one massive child (a common way to write a floating base): that child is the base.
 */
function chooseBase(links: ReadLink[], joints: ReadJoint[], options: UrdfOptions): BaseChoice {
  const children = new Set(joints.map((j) => j.spec.child));
  const roots = links.filter((l) => !children.has(l.spec.name));
  // A `world` root wins over other roots, which are then reported as not connected to the robot.
  const root = roots.find((l) => l.spec.name === WORLD_LINK) ?? roots[0] ?? links[0];
  const fromRoot = joints.filter((j) => j.spec.parent === root.spec.name);
  const joint = fromRoot.length === 1 ? fromRoot[0] : undefined;
  const child = links.find((l) => l.spec.name === joint?.spec.child);
  const isWorld = root.spec.name === WORLD_LINK;
  if (joint && isWorld && ['fixed', 'floating'].includes(joint.urdfType)) {
    const fixed = options.fixedBase ?? joint.urdfType === 'fixed';
    return { link: joint.spec.child, fixed, pose: joint.spec.origin, line: joint.element.line, dropped: { link: root, joint }, guessed: false };
  }
  if (joint && !isWorld && roots.length === 1 && joint.urdfType === 'fixed' && isMassless(root) && child && !isMassless(child)) {
    const fixed = options.fixedBase ?? false;
    return { link: child.spec.name, fixed, pose: joint.spec.origin, line: joint.element.line, dropped: { link: root, joint }, guessed: false };
  }
  const fixed = options.fixedBase ?? isWorld;
  return { link: root.spec.name, fixed, pose: IDENTITY, line: root.element.line, guessed: roots.length === 0 };
}

/** A massless link left after frames are merged: fine as a fixed base (given 1 g), an error where it moves. */
function checkMasslessLinks(links: ReadLink[], joints: ReadJoint[], base: BaseChoice, log: UrdfLog): void {
  const parentJoint = new Map(joints.map((j) => [j.spec.child, j]));
  for (const link of links) {
    if (!isMassless(link)) continue;
    const label = `link '${link.spec.name}'`;
    const joint = parentJoint.get(link.spec.name);
    if (!joint && link.spec.name === base.link && base.fixed) {
      link.spec.mass = FRAME_LINK_MASS;
      // Shapes give an inertia when there is no <inertial>; a written all-zero one is replaced.
      if (link.spec.collisions.length === 0 || link.hasInertial) link.spec.inertia = { ...FRAME_LINK_INERTIA };
      log.warning(link.element.line, `${label}: no mass; given ${FRAME_LINK_MASS} kg as it is the fixed base`);
      continue;
    }
    link.spec.mass = NaN; // stops a second line about the zero or missing mass
    link.spec.inertia = { ...NAN_INERTIA };
    const why = joint ? `is moved by joint '${joint.spec.name}'` : 'is the floating base';
    const hint = joint
      ? `; a massless link is only a frame when its joint is fixed`
      : `; weld it with a fixed joint to a link that has mass (that link becomes the base), or pass --fixed-base`;
    const what = link.hasInertial ? 'has zero mass' : 'has no <inertial>';
    log.problem(link.element.line, `${label}: ${what}; it ${why}, so it needs <mass> and <inertia>${hint}`);
  }
}

/** Source lines of every RobotSpec path the file has an element for, keyed 'joints.2.limit'. */
function lineBook(robotLine: number, base: BaseChoice, links: ReadLink[], joints: ReadJoint[], actuators: ActuatorSpec[]): Map<string, number> {
  const lines = new Map<string, number>([['', robotLine], ['base', base.line]]);
  const add = (prefix: string, element: { element: { line: number }; lines: Map<string, number> }) => {
    lines.set(prefix, element.element.line);
    for (const [key, line] of element.lines) lines.set(`${prefix}.${key}`, line);
  };
  links.forEach((link, i) => add(`links.${i}`, link));
  joints.forEach((joint, i) => add(`joints.${i}`, joint));
  const jointLimitLine = new Map(joints.map((j) => [j.spec.name, j.lines.get('limit') ?? j.element.line]));
  actuators.forEach((a, i) => lines.set(`actuators.${i}`, jointLimitLine.get(a.joint) ?? robotLine));
  return lines;
}

function lineOf(lines: Map<string, number>, path: Path): number {
  for (let n = path.length; n >= 0; n--) {
    const line = lines.get(path.slice(0, n).map(String).join('.'));
    if (line !== undefined) return line;
  }
  return lines.get('')!;
}

function isNonFiniteAt(spec: RobotSpec, path: Path): boolean {
  let value: unknown = spec;
  for (const key of path) value = (value as Record<PropertyKey, unknown> | undefined)?.[key];
  return typeof value === 'number' && !Number.isFinite(value);
}

/**
 * URDF has no start pose, and joint positions count from the pose as written: a joint whose limits exclude 0 (a
 * Panda's elbow) starts at the middle of its range, named in one warning, so the robot starts inside its limits.
 */
function startInsideLimits(joints: readonly ReadJoint[], log: UrdfLog): Record<string, number> | undefined {
  const outside = joints.filter((j) => !j.spec.mimic && j.spec.type !== 'continuous' && j.spec.limit && j.spec.limit.lower <= j.spec.limit.upper && (j.spec.limit.lower > 0 || j.spec.limit.upper < 0));
  if (outside.length === 0) return undefined;
  const start = Object.fromEntries(outside.map((j) => [j.spec.name, (j.spec.limit!.lower + j.spec.limit!.upper) / 2]));
  const list = outside.map((j) => `${j.spec.name} at ${start[j.spec.name].toFixed(3)}`).join(', ');
  log.warning(outside[0].element.line, `${outside.length > 1 ? `${outside.length} joints whose limits exclude 0 start at the middle of their ranges` : 'a joint whose limits exclude 0 starts at the middle of its range'} (initialJoints): ${list}`);
  return start;
}
