// The MJCF (MuJoCo) importer: the same RobotSpec URDF and YAML give, problems reported all at once with their
// file, element and line, and one summary warning for what MuJoCo simulates and Itinera does not.
import { basename, dirname, extname } from 'node:path';
import { ItineraError, type Pose, type RobotPhysics, type RobotSpec, type SceneBody, type Vec3 } from '@itinera/core';
import { readActuators } from './mjcf-actuators.js';
import { BodyReader, type BodyTree, type TreeJoint, type TreeLink } from './mjcf-bodies.js';
import { MjcfDefaults } from './mjcf-defaults.js';
import { compose, IDENTITY_FRAME, quatMatrix, readFrame, toPose, type Compiler, type Frame } from './mjcf-frames.js';
import type { MjcfContext } from './mjcf-geoms.js';
import { MjcfLog } from './mjcf-log.js';
import { readWorldScene } from './mjcf-scene.js';
import { kid, kids, readMjcfTree, type MjcfElement } from './mjcf-xml.js';
import { FRAME_LINK_MASS, type UrdfImport } from './urdf.js';
import { isMassless, mergeFrameLinks } from './urdf-frames.js';
import { rpyMatrix } from './urdf-pose.js';
import { findRobotProblems, withUnitAxes } from './validate.js';
import type { Path } from './where.js';

export interface MjcfOptions {
  /** Weld the root body to the world (true) or let it float (false); default: floating iff it has a freejoint. */
  fixedBase?: boolean;
}

/** The link standing for the world when the first body hangs from it by a hinge or slide joint. */
export const MJCF_WORLD_LINK = 'world';
/** Top-level elements read, and those ignored without a word (they only draw or size things). */
const READ = new Set(['compiler', 'option', 'default', 'asset', 'worldbody', 'actuator', 'keyframe']);
const SILENT = new Set(['visual', 'statistic', 'size']);

export function loadMjcfFile(path: string, options: MjcfOptions = {}): UrdfImport {
  return importMjcf(readMjcfTree(path), options);
}

/** `source` names the text in messages; includes are resolved against its folder. */
export function parseMjcf(text: string, source: string, options: MjcfOptions = {}): UrdfImport {
  return importMjcf(readMjcfTree(source, text), options);
}

function importMjcf(root: MjcfElement, options: MjcfOptions): UrdfImport {
  const source = root.file;
  const log = new MjcfLog();
  const notes = new Set<string>();
  const compiler = readCompiler(kids(root, 'compiler'), log);
  const defaults = new MjcfDefaults(kids(root, 'default'), log);
  const ctx: MjcfContext = {
    compiler, log, notes, outsideRange: [], modelDir: dirname(source), meshes: readMeshes(kids(root, 'asset'), defaults, log),
    meshFiles: { lookup: { urdfPath: source, packagePath: [], found: new Map() }, vertices: new Map(), unread: [] },
  };
  for (const el of root.children) if (!READ.has(el.tag) && !SILENT.has(el.tag)) notes.add(`<${el.tag}>`);
  const physics = readOptions(kid(root, 'option'), log);

  const { tree, hangs, inWorld, scene } = readRobotTree(root, defaults, ctx);
  const baseLink = tree.links[0];
  const start = readStart(kid(root, 'keyframe'), tree, ctx.outsideRange, log, notes);
  const basePose: Pose = start.pose ?? (hangs ? { xyz: [0, 0, 0], rpy: [0, 0, 0] } : toPose(inWorld));
  const fixed = options.fixedBase ?? !tree.floating;
  const initialJoints = start.joints;
  if (ctx.meshFiles.unread.length > 0) notes.add(`collision meshes in formats not read (only STL and OBJ; each became a sphere): ${[...new Set(ctx.meshFiles.unread)].join(', ')}`);
  const merged = mergeFrameLinks(tree.links, tree.joints, baseLink.spec.name, (text) => log.warning(root, text), ['body', 'bodies']);
  checkMassless(merged.links, merged.joints, baseLink, fixed, log);
  const actuators = readActuators(kid(root, 'actuator')?.children ?? [], defaults, merged.joints, log, notes);

  const frames = [...tree.frames.map((f) => relocate(f, merged.frames)), ...merged.frames];
  const spec: RobotSpec = {
    name: root.attrs.model ?? basename(source, extname(source)),
    base: { link: baseLink.spec.name, fixed, pose: basePose },
    links: merged.links.map((l) => l.spec),
    joints: merged.joints.map((j) => j.spec),
    actuators: actuators.map((a) => a.spec),
    sensors: {},
    ...(frames.length > 0 && { frames }),
    ...(Object.keys(initialJoints).length > 0 && { initialJoints }),
    ...(physics && { physics }),
    ...(scene.length > 0 && { scene }),
  };
  const book = elementBook(root, merged.links, merged.joints, actuators.map((a) => a.element));
  if (start.key) book.set('initialJoints', start.key);
  // A NaN marks a value already reported in MJCF words, unless nothing was (a degenerate orientation).
  const reported = log.problems.length > 0;
  for (const p of findRobotProblems(spec)) if (!reported || !isNonFiniteAt(spec, p.path)) log.problem(elementOf(book, p.path), p.text);
  if (log.problems.length > 0) throw new ItineraError(log.problems);
  if (notes.size > 0) log.warning(root, `not simulated or read only approximately: ${[...notes].join('; ')}`);
  return { robot: withUnitAxes({ ...spec, source }), warnings: log.warnings };
}

/** The first <worldbody> body with joints and its subtree; hanging from the world by a joint adds a `world` base link. */
function readRobotTree(root: MjcfElement, defaults: MjcfDefaults, ctx: MjcfContext): { tree: BodyTree; hangs: boolean; inWorld: Frame; scene: SceneBody[] } {
  const worldbody = kid(root, 'worldbody');
  const top = kids(worldbody, 'body');
  const first = top.find(hasJoints) ?? top[0];
  if (!first) throw new ItineraError(`${root.file}: model '${root.attrs.model ?? ''}': <worldbody> has no <body>, so there is no robot (line ${(worldbody ?? root).line})`);
  const reader = new BodyReader(defaults, ctx);
  const inWorld = readFrame(first, first.attrs, ctx.compiler, ctx.log, `body '${first.attrs.name ?? ''}'`);
  const hangs = directJoints(first, defaults).some((type) => type === 'hinge' || type === 'slide');
  if (hangs) {
    const world: TreeLink = { spec: { name: MJCF_WORLD_LINK, mass: FRAME_LINK_MASS, inertia: { ixx: 1e-6, iyy: 1e-6, izz: 1e-6, ixy: 0, ixz: 0, iyz: 0 }, collisions: [] }, hasInertial: true, element: worldbody! };
    reader.tree.links.push(world);
    reader.readBody(first, { link: MJCF_WORLD_LINK, offset: IDENTITY_FRAME }, inWorld, undefined);
  } else reader.readBody(first, undefined, IDENTITY_FRAME, undefined);
  return { tree: reader.tree, hangs, inWorld, scene: readWorldScene(worldbody!, first, defaults, ctx, hasJoints) };
}

function readCompiler(elements: MjcfElement[], log: MjcfLog): Compiler {
  const attrs = Object.assign({}, ...elements.map((e) => e.attrs)) as Record<string, string>;
  const at = elements[0];
  const choice = <T extends string>(name: string, allowed: T[], fallback: T): T => {
    const value = attrs[name];
    if (value === undefined) return fallback;
    if (!allowed.includes(value as T)) log.problem(at, `<compiler ${name}> must be one of ${allowed.map((a) => `'${a}'`).join(', ')} (got '${value}')`);
    return allowed.includes(value as T) ? (value as T) : fallback;
  };
  const eulerseq = attrs.eulerseq ?? 'xyz';
  if (!/^[xyzXYZ]{3}$/.test(eulerseq)) log.problem(at, `<compiler eulerseq> must be three of x, y, z, X, Y, Z (got '${eulerseq}')`);
  return {
    radians: choice('angle', ['degree', 'radian'], 'degree') === 'radian',
    eulerseq: /^[xyzXYZ]{3}$/.test(eulerseq) ? eulerseq : 'xyz',
    inertiafromgeom: choice('inertiafromgeom', ['true', 'false', 'auto'], 'auto'),
    autolimits: choice('autolimits', ['true', 'false'], 'true') === 'true',
    meshdir: attrs.meshdir ?? attrs.assetdir ?? '',
  };
}

function readMeshes(assets: MjcfElement[], defaults: MjcfDefaults, log: MjcfLog): MjcfContext['meshes'] {
  const meshes: MjcfContext['meshes'] = new Map();
  for (const el of assets.flatMap((a) => kids(a, 'mesh'))) {
    const attrs = defaults.attrs(el, undefined);
    if (attrs.file === undefined) continue; // a mesh given by its vertices: geoms using it report it missing
    const name = attrs.name ?? basename(attrs.file, extname(attrs.file));
    meshes.set(name, { file: attrs.file, scale: log.numbers(el, attrs, 'scale', 3, `mesh '${name}'`, [1, 1, 1]) as Vec3 });
  }
  return meshes;
}

/** `<option>` gravity and timestep, where the file sets them (other options are MuJoCo's solver's own). */
function readOptions(option: MjcfElement | undefined, log: MjcfLog): RobotPhysics | undefined {
  if (!option) return undefined;
  const physics: RobotPhysics = {};
  if (option.attrs.gravity !== undefined) physics.gravity = log.numbers(option, option.attrs, 'gravity', 3, '<option>') as Vec3;
  if (option.attrs.timestep !== undefined) {
    const [timestep] = log.numbers(option, option.attrs, 'timestep', 1, '<option>');
    if (timestep > 0) physics.timestep = timestep;
    else log.problem(option, `<option timestep> must be positive (got ${option.attrs.timestep})`);
  }
  return Object.keys(physics).length > 0 ? physics : undefined;
}

/** The world's own geoms are scene, not robot; planes are the ground every scenario already has. */
const hasJoints = (body: MjcfElement): boolean => body.children.some((c) => c.tag === 'joint' || c.tag === 'freejoint' || ((c.tag === 'body' || c.tag === 'frame') && hasJoints(c)));

function directJoints(body: MjcfElement, defaults: MjcfDefaults): string[] {
  const found = (el: MjcfElement, cc: string | undefined): string[] =>
    el.children.flatMap((c) => (c.tag === 'frame' ? found(c, c.attrs.childclass ?? cc) : c.tag === 'freejoint' ? ['free'] : c.tag === 'joint' ? [defaults.attrs(c, cc).type ?? 'hinge'] : []));
  return found(body, body.attrs.childclass);
}

/**
 * Where the robot starts, from the first keyframe: a floating base's pose and the hinge and slide joints'
 * positions within their ranges. Joints whose range excludes 0 and that the keyframe does not place are noted.
 */
function readStart(keyframe: MjcfElement | undefined, tree: BodyTree, outsideRange: string[], log: MjcfLog, notes: Set<string>): { key?: MjcfElement; pose?: Pose; joints: Record<string, number> } {
  const key = kids(keyframe, 'key')[0];
  const joints: Record<string, number> = {};
  const values = key?.attrs.qpos === undefined ? [] : log.numbers(key, key.attrs, 'qpos', tree.qpos.reduce((n, j) => n + QPOS_WIDTH[j.type], 0), `keyframe '${key.attrs.name ?? '0'}'`);
  const moving = new Map(tree.joints.filter((j) => j.spec.type !== 'fixed').map((j) => [j.spec.name, j]));
  const outside: string[] = [];
  let at = 0;
  for (const j of tree.qpos) {
    const joint = moving.get(j.name);
    const q = values[at] - (joint?.ref ?? 0); // MuJoCo's value minus the joint's ref
    at += QPOS_WIDTH[j.type];
    if (!joint || !(q !== 0 && Number.isFinite(q))) continue;
    const limit = joint.spec.limit ?? { lower: -Infinity, upper: Infinity };
    if (q >= limit.lower && q <= limit.upper) joints[j.name] = q;
    else outside.push(j.name);
  }
  if (outside.length > 0) notes.add(`keyframe positions outside their joint's range (those joints start at 0): ${outside.join(', ')}`);
  const unplaced = outsideRange.filter((name) => joints[name] === undefined);
  if (unplaced.length > 0) notes.add(`ranges that exclude 0, where joints start without a keyframe (the first steps push them into range): ${unplaced.join(', ')}`);
  const pose = tree.floating && values.length >= 7 && values.slice(0, 7).every(Number.isFinite) ? toPose({ r: quatMatrix(values.slice(3, 7)), p: values.slice(0, 3) as Vec3 }) : undefined;
  return { key, pose, joints };
}

const QPOS_WIDTH: Record<string, number> = { free: 7, ball: 4, hinge: 1, slide: 1 };

/** A massless body is a frame when welded (merged above), 1 g when it is the fixed base, else an error. */
function checkMassless(links: TreeLink[], joints: TreeJoint[], base: TreeLink, fixed: boolean, log: MjcfLog): void {
  const parentJoint = new Map(joints.map((j) => [j.spec.child, j]));
  for (const link of links) {
    if (!isMassless(link)) continue;
    if (link === base && fixed) {
      link.spec.mass = FRAME_LINK_MASS;
      link.spec.inertia = { ixx: 1e-6, iyy: 1e-6, izz: 1e-6, ixy: 0, ixz: 0, iyz: 0 };
      continue;
    }
    const joint = parentJoint.get(link.spec.name);
    link.spec.mass = NaN; // one line here, not a second from the shared checks
    const why = joint ? `is moved by joint '${joint.spec.name}'` : 'is the floating base';
    log.problem(link.element, `body '${link.spec.name}': has no mass (no <inertial> and no geom with mass); it ${why}`);
  }
}

/** A site on a body that was merged as a frame moves onto that frame's link. */
function relocate(site: { name: string; link: string; origin: Pose }, merged: Array<{ name: string; link: string; origin: Pose }>) {
  const frame = merged.find((f) => f.name === site.link);
  if (!frame) return site;
  const outer = readPoseFrame(frame.origin);
  return { name: site.name, link: frame.link, origin: toPose(compose(outer, readPoseFrame(site.origin))) };
}

const readPoseFrame = (pose: Pose) => ({ r: rpyMatrix(pose.rpy), p: pose.xyz });

function elementBook(root: MjcfElement, links: TreeLink[], joints: TreeJoint[], actuators: MjcfElement[]): Map<string, MjcfElement> {
  const book = new Map<string, MjcfElement>([['', root]]);
  links.forEach((l, i) => book.set(`links.${i}`, l.element));
  joints.forEach((j, i) => book.set(`joints.${i}`, j.element));
  actuators.forEach((a, i) => book.set(`actuators.${i}`, a));
  return book;
}

function elementOf(book: Map<string, MjcfElement>, path: Path): MjcfElement {
  for (let n = Math.min(path.length, 2); n >= 0; n--) {
    const el = book.get(path.slice(0, n).map(String).join('.'));
    if (el) return el;
  }
  return book.get('')!;
}

function isNonFiniteAt(spec: RobotSpec, path: Path): boolean {
  let value: unknown = spec;
  for (const key of path) value = (value as Record<PropertyKey, unknown> | undefined)?.[key];
  return typeof value === 'number' && !Number.isFinite(value);
}
