// Semantic checks on a RobotSpec, whatever it came from (YAML, URDF, a TypeScript module).
import { ItineraError } from '@itinera/core';
import type { ActuatorSpec, Inertia, JointSpec, LinkSpec, RobotSpec, Shape } from '@itinera/core';
import { describeValue, formatPath, splitElement, type Path, type Problem } from './where.js';

type Report = (path: Path, text: string) => void;

/** A robot whose element lists may have holes where an element failed to parse. */
export interface PartialRobot {
  links?: ReadonlyArray<LinkSpec | undefined>;
  joints?: ReadonlyArray<JointSpec | undefined>;
  actuators?: ReadonlyArray<ActuatorSpec | undefined>;
}

const JOINT_TYPES = ['revolute', 'continuous', 'prismatic', 'fixed'];
/**
 * Largest magnitude of any number in a robot. Rapier computes in 32-bit floats (7 significant digits): beside
 * 1e9, ordinary forces and lengths vanish (1e9 + 1 == 1e9), and planners' torque ranges overflow further on.
 */
export const MAX_ROBOT_NUMBER = 1e9;
/** Heavier links than this are taken for a unit mistake: a robot link of over 10 t is an excavator's boom. */
export const PLAUSIBLE_LINK_MASS = 1e4;
/** Stronger actuators than this (N·m or N) are taken for a unit mistake: an industrial arm's base joint has a few kN·m. */
export const PLAUSIBLE_ACTUATOR_LIMIT = 1e4;
/** Longer shapes than this (m) are taken for a unit mistake (mm for m). */
export const PLAUSIBLE_SHAPE_SIZE = 100;
const isFiniteNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const quoted = (names: string[]) => names.map((n) => `'${n}'`).join(', ');

/** Problem lines, each `<source>: <element>: <problem>`; empty when the robot is valid. */
export function validateRobotSpec(spec: RobotSpec, source: string): string[] {
  return findRobotProblems(spec).map((p) => `${source}: ${p.text}`);
}

/**
 * Throws an ItineraError listing every problem, else returns a copy with unit joint axes and
 * `source` set. Importers (YAML, URDF) and TypeScript robot modules all finish through here.
 */
export function checkRobotSpec(spec: RobotSpec, source: string): RobotSpec {
  const problems = validateRobotSpec(spec, source);
  if (problems.length > 0) throw new ItineraError(problems);
  return withUnitAxes({ ...spec, source });
}

/** A copy whose moving joints have unit axes (callers check the axes are not zero first). */
export function withUnitAxes(spec: RobotSpec): RobotSpec {
  const unit = (joint: JointSpec): JointSpec => {
    const norm = Math.hypot(...joint.axis);
    if (joint.type === 'fixed' || norm === 0 || norm === 1) return joint;
    return { ...joint, axis: [joint.axis[0] / norm, joint.axis[1] / norm, joint.axis[2] / norm] };
  };
  return { ...spec, joints: spec.joints.map(unit) };
}

export function findRobotProblems(spec: RobotSpec): Problem[] {
  const problems: Problem[] = [];
  const report = reporter(spec, problems);
  if (typeof spec.name !== 'string' || spec.name.trim() === '') report(['name'], 'robot name must not be empty');
  checkElements(spec, report);
  for (const key of ['base', 'sensors', 'endEffector', 'initialJoints'] as const) reportNonFinite(spec[key], [key], spec, report);
  checkTree(spec, report);
  checkReferences(spec, report);
  return problems;
}

/** Checks that need only one element at a time (and duplicate names), so they also run on partial robots. */
export function findElementProblems(robot: PartialRobot): Problem[] {
  const problems: Problem[] = [];
  checkElements(robot, reporter(robot, problems));
  return problems;
}

function reporter(robot: unknown, problems: Problem[]): Report {
  return (path, text) => {
    const { element } = splitElement(robot, path, false);
    problems.push({ path, text: element ? `${element}: ${text}` : text });
  };
}

function checkElements(robot: PartialRobot, report: Report): void {
  for (const section of ['links', 'joints', 'actuators'] as const) {
    const list = robot[section] ?? [];
    const firstIndex = new Map<string, number>();
    list.forEach((element, i) => {
      if (element === undefined) return;
      reportNonFinite(element, [section, i], robot, report);
      const first = firstIndex.get(element.name);
      if (first !== undefined) report([section, i, 'name'], `duplicate name (also ${section}[${first}])`);
      else firstIndex.set(element.name, i);
      if (typeof element.name !== 'string' || element.name.trim() === '') report([section, i, 'name'], 'name must not be empty');
    });
  }
  robot.links?.forEach((link, i) => link && checkLink(link, ['links', i], report));
  robot.joints?.forEach((joint, i) => joint && checkJoint(joint, ['joints', i], report));
  robot.actuators?.forEach((actuator, i) => {
    if (actuator && isFiniteNumber(actuator.limit) && actuator.limit <= 0)
      report(['actuators', i, 'limit'], `limit must be positive (got ${actuator.limit})`);
    const servo = actuator?.servo;
    if (!servo) return;
    const gain = servo.kind === 'position' ? 'kp' : 'kv';
    if (!(servo[gain] > 0)) report(['actuators', i, 'servo', gain], `a ${servo.kind} servo needs ${gain} > 0 (got ${servo[gain]})`);
    if (!(servo.kv >= 0)) report(['actuators', i, 'servo', 'kv'], `kv must not be negative (got ${servo.kv})`);
    if (!(servo.range?.[0] < servo.range?.[1])) report(['actuators', i, 'servo', 'range'], `range must be [low, high] with low < high (got [${servo.range?.join(', ')}])`);
  });
}

/** Reports every NaN, infinite or unsimulably large number inside value. */
function reportNonFinite(value: unknown, path: Path, robot: unknown, report: Report): void {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    report(path, `${formatPath(splitElement(robot, path, false).rest)} must be finite (got ${value})`);
  } else if (typeof value === 'number' && Math.abs(value) > MAX_ROBOT_NUMBER) {
    const field = formatPath(splitElement(robot, path, false).rest);
    report(path, `${field} must be within ±${MAX_ROBOT_NUMBER.toExponential()} (got ${value}): the simulator computes in 32-bit floats, where such a value swamps every other`);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => reportNonFinite(v, [...path, i], robot, report));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, v] of Object.entries(value)) reportNonFinite(v, [...path, key], robot, report);
  }
}

function checkLink(link: LinkSpec, path: Path, report: Report): void {
  if (isFiniteNumber(link.mass) && link.mass <= 0) report([...path, 'mass'], `mass must be positive (got ${link.mass})`);
  if (link.inertia && Object.values(link.inertia).every(isFiniteNumber) && !isPositiveDefinite(link.inertia)) {
    const got = Object.entries(link.inertia).map(([k, v]) => `${k}=${v}`).join(' ');
    report([...path, 'inertia'], `inertia must be positive definite (got ${got})`);
  }
  const collisions = link.collisions ?? [];
  if (!link.inertia && collisions.length === 0)
    report(path, 'needs an inertia, or a collision shape to derive one from');
  collisions.forEach((geom, i) => {
    const at = [...path, 'collisions', i];
    const bad = shapeProblem(geom.shape);
    if (bad) report([...at, 'shape'], `collisions[${i}]: ${bad}`);
    if (isFiniteNumber(geom.friction) && geom.friction < 0)
      report([...at, 'friction'], `collisions[${i}]: friction must not be negative (got ${geom.friction})`);
  });
}

/** Sylvester's criterion: every leading principal minor is positive. */
function isPositiveDefinite({ ixx, iyy, izz, ixy, ixz, iyz }: Inertia): boolean {
  const det = ixx * (iyy * izz - iyz * iyz) - ixy * (ixy * izz - iyz * ixz) + ixz * (ixy * iyz - iyy * ixz);
  return ixx > 0 && ixx * iyy - ixy * ixy > 0 && det > 0;
}

function shapeProblem(shape: Shape): string | undefined {
  const positive = (x: number) => !isFiniteNumber(x) || x > 0; // non-finite is reported elsewhere
  switch (shape.type) {
    case 'box':
      return shape.size.every(positive) ? undefined : `box size must be positive (got ${describeValue(shape.size)})`;
    case 'sphere':
      return positive(shape.radius) ? undefined : `sphere radius must be positive (got ${shape.radius})`;
    case 'cylinder':
    case 'capsule':
      if (!positive(shape.radius)) return `${shape.type} radius must be positive (got ${shape.radius})`;
      return positive(shape.length) ? undefined : `${shape.type} length must be positive (got ${shape.length})`;
    case 'convex':
      if (shape.points.length < 4) return `convex hull needs at least 4 points (got ${shape.points.length})`;
      return positive(shape.volume) ? undefined : `convex hull volume must be positive (got ${shape.volume})`;
    default:
      return `unknown shape type ${describeValue((shape as { type: unknown }).type)}`;
  }
}

function checkJoint(joint: JointSpec, path: Path, report: Report): void {
  if (!JOINT_TYPES.includes(joint.type)) {
    report([...path, 'type'], `type must be one of ${quoted(JOINT_TYPES)} (got ${describeValue(joint.type)})`);
    return;
  }
  if (joint.type !== 'fixed' && joint.axis.every(isFiniteNumber) && Math.hypot(...joint.axis) < 1e-9)
    report([...path, 'axis'], 'axis must not be zero');
  const limited = joint.type === 'revolute' || joint.type === 'prismatic';
  if (limited && !joint.limit) report(path, `${joint.type} joint needs a limit { lower, upper }`);
  if (!limited && joint.limit) report([...path, 'limit'], `${joint.type} joint takes no limit`);
  if (limited && joint.limit && joint.limit.lower > joint.limit.upper)
    report([...path, 'limit'], `limit lower (${joint.limit.lower}) is greater than upper (${joint.limit.upper})`);
  if (isFiniteNumber(joint.friction) && joint.friction < 0)
    report([...path, 'friction'], `friction must not be negative (got ${joint.friction})`);
  if (isFiniteNumber(joint.velocity) && joint.velocity <= 0)
    report([...path, 'velocity'], `velocity limit must be positive (got ${joint.velocity})`);
  if (isFiniteNumber(joint.damping) && joint.damping < 0)
    report([...path, 'damping'], `damping must not be negative (got ${joint.damping})`);
}

/**
 * Values that simulate but are hardly what the author meant (a unit mistake), one line each with the reason;
 * `check-robot` and every command that loads the robot print them as warnings.
 */
export function robotWarnings(spec: RobotSpec, source: string): string[] {
  const warnings: string[] = [];
  const warn = (element: string, text: string) => warnings.push(`${source}: ${element}: ${text}`);
  for (const link of spec.links) {
    if (isFiniteNumber(link.mass) && link.mass > PLAUSIBLE_LINK_MASS)
      warn(`link '${link.name}'`, `mass ${link.mass} kg is over ${PLAUSIBLE_LINK_MASS} kg, implausible for a robot link (masses are in kg)`);
    (link.collisions ?? []).forEach((geom, i) => {
      const sizes = shapeSizes(geom.shape);
      const largest = Math.max(...sizes.filter(isFiniteNumber));
      if (largest > PLAUSIBLE_SHAPE_SIZE)
        warn(`link '${link.name}'`, `collisions[${i}]: ${geom.shape.type} of ${largest} m is over ${PLAUSIBLE_SHAPE_SIZE} m (lengths are in metres)`);
    });
  }
  for (const actuator of spec.actuators) {
    if (isFiniteNumber(actuator.limit) && actuator.limit > PLAUSIBLE_ACTUATOR_LIMIT)
      warn(`actuator '${actuator.name}'`, `limit ${actuator.limit} is over ${PLAUSIBLE_ACTUATOR_LIMIT} N·m (N for a prismatic joint), implausible for a robot joint; planners sample commands across the whole range, so most would fling the robot`);
  }
  return warnings;
}

/** The lengths a shape is made of (a hull's: its largest coordinate), for the plausibility check. */
function shapeSizes(shape: Shape): number[] {
  switch (shape.type) {
    case 'box':
      return shape.size;
    case 'sphere':
      return [shape.radius];
    case 'convex':
      return [Math.max(...shape.points.flat().map(Math.abs))];
    default:
      return [shape.radius, shape.length];
  }
}

/** Joints must make the links one tree rooted at the base link. */
function checkTree(spec: RobotSpec, report: Report): void {
  const links = new Set(spec.links.map((l) => l.name));
  const parentJoints = new Map<string, number[]>(); // child link -> indices of joints naming it as child
  const orphans = new Set<string>(); // children of joints whose parent is unknown (already reported)
  spec.joints.forEach((joint, i) => {
    for (const end of ['parent', 'child'] as const)
      if (!links.has(joint[end])) report(['joints', i, end], `${end} link '${joint[end]}' does not exist`);
    if (joint.parent === joint.child) report(['joints', i, 'child'], `parent and child are the same link '${joint.child}'`);
    else if (links.has(joint.parent) && links.has(joint.child))
      parentJoints.set(joint.child, [...(parentJoints.get(joint.child) ?? []), i]);
    else if (links.has(joint.child)) orphans.add(joint.child);
  });
  for (const [link, parents] of parentJoints) {
    if (parents.length < 2) continue;
    const names = quoted(parents.map((j) => spec.joints[j].name));
    report(['links', spec.links.findIndex((l) => l.name === link)], `has ${parents.length} parent joints (${names}); a robot must be a tree`);
  }

  const inLoop = reportLoops(spec, parentJoints, report);
  const base = spec.base?.link;
  if (!links.has(base)) {
    report(['base', 'link'], `link '${base}' does not exist`);
    return;
  }
  const baseParent = parentJoints.get(base)?.[0];
  if (baseParent !== undefined)
    report(['base', 'link'], `base link '${base}' is the child of joint '${spec.joints[baseParent].name}'; the base must be the root`);
  const childrenOf = new Map<string, string[]>();
  for (const joint of spec.joints) if (links.has(joint.child)) childrenOf.set(joint.parent, [...(childrenOf.get(joint.parent) ?? []), joint.child]);
  const reached = new Set([base]);
  for (const frontier = [base]; frontier.length > 0; ) {
    for (const child of childrenOf.get(frontier.pop()!) ?? [])
      if (!reached.has(child)) {
        reached.add(child);
        frontier.push(child);
      }
  }
  // A subtree hanging from an unknown parent is already reported there.
  const rootOf = (link: string) => {
    const seen = new Set<string>();
    for (let j = parentJoints.get(link)?.[0]; j !== undefined && !seen.has(link); j = parentJoints.get(link)?.[0]) {
      seen.add(link);
      link = spec.joints[j].parent;
    }
    return link;
  };
  spec.links.forEach((link, i) => {
    if (!reached.has(link.name) && !inLoop.has(link.name) && !orphans.has(rootOf(link.name)))
      report(['links', i], `not connected to the base link '${base}'`);
  });
}

/** Follows parent joints up from every link; a chain that comes back to itself is a loop. */
function reportLoops(spec: RobotSpec, parentJoints: Map<string, number[]>, report: Report): Set<string> {
  const done = new Set<string>();
  const inLoop = new Set<string>();
  for (const start of spec.links.map((l) => l.name)) {
    const chain: string[] = [];
    for (let link: string | undefined = start; link !== undefined && !done.has(link); ) {
      const at = chain.indexOf(link);
      if (at >= 0) {
        const cycle = chain.slice(at).reverse(); // parent -> child order
        cycle.forEach((l) => inLoop.add(l));
        const joints = cycle.map((l) => parentJoints.get(l)![0]).sort((a, b) => a - b);
        const closing = joints[joints.length - 1]; // the last one listed closes the loop
        const from = cycle.indexOf(spec.joints[closing].child);
        const loop = [...cycle.slice(from), ...cycle.slice(0, from), cycle[from]];
        const names = quoted(joints.map((j) => spec.joints[j].name));
        report(['joints', closing], `closes a kinematic loop ${loop.join(' -> ')} (joints ${names})`);
        break;
      }
      chain.push(link);
      const parentJoint: number | undefined = parentJoints.get(link)?.[0];
      link = parentJoint === undefined ? undefined : spec.joints[parentJoint].parent;
    }
    chain.forEach((l) => done.add(l));
  }
  return inLoop;
}

/** Actuators, sensors and the end effector must name things that exist and can move. */
function checkReferences(spec: RobotSpec, report: Report): void {
  const links = new Set(spec.links.map((l) => l.name));
  const joints = new Map(spec.joints.map((j) => [j.name, j]));
  for (const [name, position] of Object.entries(spec.initialJoints ?? {})) {
    const joint = joints.get(name);
    const path = ['initialJoints', name];
    if (!joint || joint.type === 'fixed') report(path, `joint '${name}' ${joint ? 'is fixed' : 'does not exist'}, so it has no start position`);
    else if (joint.limit && (position < joint.limit.lower || position > joint.limit.upper))
      report(path, `joint '${name}' starts at ${position}, outside its limit [${joint.limit.lower}, ${joint.limit.upper}]`);
  }
  const drivenBy = new Map<string, string>();
  spec.actuators.forEach((actuator, i) => {
    const joint = joints.get(actuator.joint);
    const path = ['actuators', i, 'joint'];
    if (!joint) report(path, `joint '${actuator.joint}' does not exist`);
    else if (joint.type === 'fixed') report(path, `joint '${actuator.joint}' is fixed and cannot be driven`);
    const other = drivenBy.get(actuator.joint);
    if (other !== undefined) report(path, `joint '${actuator.joint}' is already driven by actuator '${other}'`);
    else drivenBy.set(actuator.joint, actuator.name);
  });
  spec.joints.forEach((joint, i) => {
    if (!joint.mimic) return;
    const leader = joints.get(joint.mimic.joint);
    if (!leader || leader.type === 'fixed') report(['joints', i, 'mimic'], `mimic joint '${joint.mimic.joint}' does not exist or does not move`);
    else if (leader.mimic) report(['joints', i, 'mimic'], `mimic joint '${joint.mimic.joint}' itself mimics '${leader.mimic.joint}'; name that one`);
    if (drivenBy.has(joint.name)) report(['joints', i, 'mimic'], `mimics '${joint.mimic.joint}' but is also driven by actuator '${drivenBy.get(joint.name)}'`);
  });
  const rays = spec.sensors?.rays;
  if (rays) {
    if (!links.has(rays.link)) report(['sensors', 'rays', 'link'], `rays.link '${rays.link}' does not exist`);
    if (isFiniteNumber(rays.count) && !(Number.isInteger(rays.count) && rays.count > 0))
      report(['sensors', 'rays', 'count'], `rays.count must be a positive integer (got ${rays.count})`);
    if (isFiniteNumber(rays.range) && rays.range <= 0)
      report(['sensors', 'rays', 'range'], `rays.range must be positive (got ${rays.range})`);
  }
  spec.sensors?.contacts?.forEach((link, i) => {
    if (!links.has(link)) report(['sensors', 'contacts', i], `contacts[${i}]: link '${link}' does not exist`);
  });
  spec.frames?.forEach((frame, i) => {
    if (!links.has(frame.link)) report(['frames', i, 'link'], `frames[${i}] '${frame.name}': link '${frame.link}' does not exist`);
  });
  if (spec.endEffector && !links.has(spec.endEffector.link))
    report(['endEffector', 'link'], `link '${spec.endEffector.link}' does not exist`);
}
