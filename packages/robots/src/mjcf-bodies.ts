// The MJCF body tree to RobotSpec links and joints. A body with one hinge or slide joint becomes a link whose
// frame sits at the joint's anchor (RobotSpec turns a joint about its child's origin); a body with none is
// welded to its parent; sites become named frames (end effectors).
import type { FrameSpec, Inertia, JointSpec, LinkSpec, Vec3 } from '@itinera/core';
import type { MjcfDefaults } from './mjcf-defaults.js';
import { compose, IDENTITY_FRAME, invert, readFrame, toPose, translation, type Frame } from './mjcf-frames.js';
import { readGeom, type MjcfContext } from './mjcf-geoms.js';
import { sumMass, type MassPart } from './mjcf-inertia.js';
import type { MjcfElement } from './mjcf-xml.js';

export interface TreeLink {
  spec: LinkSpec;
  hasInertial: boolean;
  element: MjcfElement;
}

export type MjcfJointType = 'hinge' | 'slide' | 'ball' | 'free';

export interface TreeJoint {
  spec: JointSpec;
  /** 'fixed' for a welded body, as URDF frame merging expects. */
  urdfType: JointSpec['type'];
  element: MjcfElement;
  /** Cap on any actuator's force on this joint (`actuatorfrcrange`). */
  forceLimit?: number;
  /** MuJoCo's joint value where the body sits as written (`ref`); RobotSpec counts from there, so values shift by it. */
  ref: number;
}

/** Joints in MuJoCo's qpos order (depth-first), for keyframes. */
export interface QposJoint {
  name: string;
  type: MjcfJointType;
}

export interface BodyTree {
  links: TreeLink[];
  joints: TreeJoint[];
  frames: FrameSpec[];
  qpos: QposJoint[];
  /** The root body floats (it has a freejoint). */
  floating: boolean;
}

interface BodyJoint {
  el: MjcfElement;
  attrs: Record<string, string>;
  type: MjcfJointType;
}

interface Item {
  el: MjcfElement;
  /** The enclosing <frame>s' pose in the body frame. */
  frame: Frame;
  childclass?: string;
}

/** What a body may hold that is read (cameras and lights only draw). */
const BODY_TAGS = new Set(['joint', 'freejoint', 'geom', 'site', 'body', 'inertial', 'camera', 'light']);

/** Share of a body's mass given to each link that chains its joints (RobotSpec joins two links by one joint). */
const CHAIN_MASS_SHARE = 0.01;

/** Limits given to a slide joint without a range: RobotSpec's prismatic joints need limits. */
export const UNLIMITED_SLIDE = 100;

export class BodyReader {
  readonly tree: BodyTree = { links: [], joints: [], frames: [], qpos: [], floating: false };
  private unnamed = 0;

  constructor(private readonly defaults: MjcfDefaults, private readonly ctx: MjcfContext) {}

  /**
   * Reads `body` and its subtree. `parent` is the parent link and where that link's frame sits in the parent
   * body's frame; `inParent` places this body in the parent body's frame.
   */
  readBody(body: MjcfElement, parent: { link: string; offset: Frame } | undefined, inParent: Frame, childclass: string | undefined): void {
    const { log } = this.ctx;
    const name = body.attrs.name ?? `body${++this.unnamed}`;
    const label = `body '${name}'`;
    const cc = body.attrs.childclass ?? childclass;
    const items = contents(body, IDENTITY_FRAME, cc, this.ctx);
    for (const item of items) if (!BODY_TAGS.has(item.el.tag)) this.ctx.notes.add(`<${item.el.tag}> in bodies`);
    const joints = this.readJointTypes(items, name, label, parent === undefined);
    const moving = joints.filter((j) => j.type === 'hinge' || j.type === 'slide');
    const anchors = moving.map((j) => log.numbers(j.el, j.attrs, 'pos', 3, label, [0, 0, 0]) as Vec3);
    const offset = translation(anchors.at(-1) ?? [0, 0, 0]); // the link frame in the body frame: at the last joint
    const toLink = invert(offset);

    const link = this.readLink(body, name, items, toLink, label);
    this.tree.links.push(link);
    if (parent) this.joinToParent(body, name, moving, anchors, parent, inParent, link, label);
    for (const site of items.filter((i) => i.el.tag === 'site')) {
      const attrs = this.defaults.attrs(site.el, site.childclass);
      if (attrs.name) this.tree.frames.push({ name: attrs.name, link: name, origin: toPose(compose(toLink, compose(site.frame, readFrame(site.el, attrs, this.ctx.compiler, log, label)))) });
    }
    for (const child of items.filter((i) => i.el.tag === 'body'))
      this.readBody(child.el, { link: name, offset }, compose(child.frame, readFrame(child.el, child.el.attrs, this.ctx.compiler, log, `body '${child.el.attrs.name ?? '?'}'`)), child.childclass);
  }

  /** The body's joints with their defaults, names (unnamed ones after the body) and types; unsupported ones reported. */
  private readJointTypes(items: Item[], name: string, label: string, topLevel: boolean): BodyJoint[] {
    const { log } = this.ctx;
    const found = items.filter((i) => i.el.tag === 'joint' || i.el.tag === 'freejoint');
    return found.map((item, k) => {
      const attrs = this.defaults.attrs(item.el, item.childclass);
      attrs.name ??= `${name}_joint${found.length > 1 ? k : ''}`;
      const type = (item.el.tag === 'freejoint' ? 'free' : (attrs.type ?? 'hinge')) as MjcfJointType;
      const at = `${label}: joint '${attrs.name}'`;
      this.tree.qpos.push({ name: attrs.name, type });
      if (!['hinge', 'slide', 'ball', 'free'].includes(type)) log.problem(item.el, `${at}: type must be one of 'hinge', 'slide', 'ball', 'free' (got '${type}')`);
      if (type === 'ball') log.problem(item.el, `${at}: ball joints are not supported (Rapier cannot drive one with torques); write three hinge joints in nested bodies instead`);
      if (type === 'free' && !topLevel) log.problem(item.el, `${at}: a free joint is only supported on a body directly in <worldbody> (the floating base)`);
      if (type === 'free' && topLevel) this.tree.floating = true;
      return { el: item.el, attrs, type };
    });
  }

  /** A welded body gets a fixed joint; several joints in one body act in turn, chained through light links. */
  private joinToParent(body: MjcfElement, name: string, moving: BodyJoint[], anchors: Vec3[], parent: { link: string; offset: Frame }, inParent: Frame, link: TreeLink, label: string): void {
    if (moving.length === 0) {
      const origin = toPose(compose(invert(parent.offset), inParent));
      this.tree.joints.push({ spec: { name: `${name}_weld`, type: 'fixed', parent: parent.link, child: name, origin, axis: [0, 0, 1], damping: 0 }, urdfType: 'fixed', element: body, ref: 0 });
      return;
    }
    if (moving.length > 1) this.ctx.notes.add(`bodies with several joints (chained through links of ${CHAIN_MASS_SHARE * 100} % of the body's mass)`);
    let above = parent.link;
    moving.forEach((joint, k) => {
      const last = k === moving.length - 1;
      const child = last ? name : `${name}_${joint.attrs.name}`;
      const origin = toPose(k === 0 ? compose(invert(parent.offset), compose(inParent, translation(anchors[0]))) : translation(anchors[k].map((v, i) => v - anchors[k - 1][i]) as Vec3));
      if (!last) this.tree.links.push(chainLink(child, link, joint.el));
      this.tree.joints.push(this.readJoint(joint.el, joint.attrs, joint.type, child, above, origin, link, label));
      above = child;
    });
  }

  private readLink(body: MjcfElement, name: string, items: Item[], toLink: Frame, label: string): TreeLink {
    const { log, compiler } = this.ctx;
    const inertialItem = items.find((i) => i.el.tag === 'inertial');
    const fromGeoms = compiler.inertiafromgeom === 'true' || (compiler.inertiafromgeom === 'auto' && !inertialItem);
    const parts: MassPart[] = [];
    const collisions: LinkSpec['collisions'] = [];
    for (const g of items.filter((i) => i.el.tag === 'geom')) {
      const read = readGeom(g.el, this.defaults.attrs(g.el, g.childclass), compose(toLink, g.frame), this.ctx, label, fromGeoms);
      if (read.collision) collisions.push(read.collision);
      if (read.mass) parts.push(read.mass);
    }
    if (fromGeoms) {
      const total = sumMass(parts);
      if (!(total.mass > 0)) return { spec: { name, mass: 0, collisions }, hasInertial: false, element: body };
      return { spec: { name, mass: total.mass, inertialOrigin: { xyz: total.centre, rpy: [0, 0, 0] }, inertia: total.inertia, collisions }, hasInertial: true, element: body };
    }
    if (!inertialItem) return { spec: { name, mass: 0, collisions }, hasInertial: false, element: body };
    const el = inertialItem.el;
    const attrs = el.attrs;
    const [mass] = log.numbers(el, attrs, 'mass', 1, label);
    const frame = compose(toLink, compose(inertialItem.frame, readFrame(el, attrs, compiler, log, label)));
    let inertia: Inertia;
    if (attrs.fullinertia !== undefined) {
      const [ixx, iyy, izz, ixy, ixz, iyz] = log.numbers(el, attrs, 'fullinertia', 6, label);
      inertia = { ixx, iyy, izz, ixy, ixz, iyz };
    } else {
      const [ixx, iyy, izz] = log.numbers(el, attrs, 'diaginertia', 3, `${label}: <inertial> needs diaginertia or fullinertia;`);
      inertia = { ixx, iyy, izz, ixy: 0, ixz: 0, iyz: 0 };
    }
    return { spec: { name, mass, inertialOrigin: toPose(frame), inertia, collisions }, hasInertial: true, element: body };
  }

  private readJoint(el: MjcfElement, attrs: Record<string, string>, type: MjcfJointType, child: string, parent: string, origin: JointSpec['origin'], link: TreeLink, label: string): TreeJoint {
    const { log, compiler, notes } = this.ctx;
    const name = attrs.name;
    const at = `joint '${name}'`;
    const axis = log.numbers(el, attrs, 'axis', 3, at, [0, 0, 1]) as Vec3;
    const range = attrs.range === undefined ? undefined : log.numbers(el, attrs, 'range', 2, at);
    const limited = attrs.limited === 'true' || ((attrs.limited === undefined || attrs.limited === 'auto') && compiler.autolimits && range !== undefined);
    if (limited && !range) log.problem(el, `${at}: limited="true" needs a range`);
    const angle = (v: number) => (type === 'hinge' && !compiler.radians ? (v * Math.PI) / 180 : v);
    const [ref] = log.numbers(el, attrs, 'ref', 1, at, [0]).map(angle);
    const [damping] = log.numbers(el, attrs, 'damping', 1, at, [0]);
    const [frictionloss] = log.numbers(el, attrs, 'frictionloss', 1, at, [0]);
    const [armature] = log.numbers(el, attrs, 'armature', 1, at, [0]);
    const [stiffness] = log.numbers(el, attrs, 'stiffness', 1, at, [0]);
    if (frictionloss > 0) notes.add(damping > 0 ? 'frictionloss on damped joints (Itinera simulates the damping only)' : 'frictionloss (simulated as a Coulomb friction motor)');
    if (stiffness > 0) notes.add('joint stiffness (springs)');
    if (armature > 0) {
      // Rotor inertia, added to every principal moment: added along the axis alone, it leaves light links with
      // moments far outside the triangle inequality, which Rapier's solver turns into explosions.
      if (type === 'hinge' && link.spec.inertia) link.spec.inertia = { ...link.spec.inertia, ixx: link.spec.inertia.ixx + armature, iyy: link.spec.inertia.iyy + armature, izz: link.spec.inertia.izz + armature };
      notes.add(type === 'hinge' ? "armature (added to the child link's principal moments)" : 'armature on slide joints');
    }
    let jointType: JointSpec['type'] = type === 'slide' ? 'prismatic' : limited ? 'revolute' : 'continuous';
    let limit: JointSpec['limit'];
    if (limited && range) limit = { lower: angle(range[0]) - ref, upper: angle(range[1]) - ref };
    else if (type === 'slide') {
      limit = { lower: -UNLIMITED_SLIDE, upper: UNLIMITED_SLIDE };
      notes.add(`unlimited slide joints (given ±${UNLIMITED_SLIDE} m)`);
    }
    if (type !== 'hinge' && type !== 'slide') jointType = 'fixed';
    if (limit && (limit.lower > 0 || limit.upper < 0)) this.ctx.outsideRange.push(name);
    const frcrange = attrs.actuatorfrcrange === undefined ? undefined : log.numbers(el, attrs, 'actuatorfrcrange', 2, at);
    const spec: JointSpec = { name, type: jointType, parent, child, origin, axis, ...(limit && { limit }), damping, ...(frictionloss > 0 && { friction: frictionloss }) };
    return { spec, urdfType: jointType, element: el, ref, ...(frcrange && { forceLimit: Math.max(Math.abs(frcrange[0]), Math.abs(frcrange[1])) }) };
  }
}

/** A body's elements with <frame>s flattened: each item knows its enclosing frames' pose and childclass. */
export function contents(el: MjcfElement, frame: Frame, childclass: string | undefined, ctx: MjcfContext): Item[] {
  return el.children.flatMap((child) => {
    if (child.tag !== 'frame') return [{ el: child, frame, childclass }];
    const inner = compose(frame, readFrame(child, child.attrs, ctx.compiler, ctx.log, 'frame'));
    return contents(child, inner, child.attrs.childclass ?? childclass, ctx);
  });
}

/** A link between two joints of one body: a small share of its mass, as a solid sphere of 1 cm. */
function chainLink(name: string, body: TreeLink, element: MjcfElement): TreeLink {
  const mass = (body.spec.mass > 0 ? body.spec.mass : 1e-3) * CHAIN_MASS_SHARE;
  const moment = 0.4 * mass * 0.01 ** 2;
  return { spec: { name, mass, inertia: { ixx: moment, iyy: moment, izz: moment, ixy: 0, ixz: 0, iyz: 0 }, collisions: [] }, hasInertial: true, element };
}
