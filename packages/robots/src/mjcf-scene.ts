// MJCF <worldbody> geometry beside the robot: world geoms (planes aside: the ground every scenario has) and bodies
// without joints become the robot's scene (RobotSpec.scene), static, which every scenario adds to its own.
import type { Geom, SceneBody } from '@itinera/core';
import { contents } from './mjcf-bodies.js';
import type { MjcfDefaults } from './mjcf-defaults.js';
import { compose, IDENTITY_FRAME, readFrame, type Frame } from './mjcf-frames.js';
import { readGeom, type MjcfContext } from './mjcf-geoms.js';
import type { MjcfElement } from './mjcf-xml.js';

/** Static scene bodies from `worldbody` (geoms in world coordinates); bodies with joints are noted, not read. */
export function readWorldScene(worldbody: MjcfElement, robot: MjcfElement, defaults: MjcfDefaults, ctx: MjcfContext, hasJoints: (body: MjcfElement) => boolean): SceneBody[] {
  const scene: SceneBody[] = [];
  const worldGeoms: Geom[] = [];
  const moving: string[] = [];
  for (const item of contents(worldbody, IDENTITY_FRAME, undefined, ctx)) {
    const attrs = defaults.attrs(item.el, item.childclass);
    if (item.el.tag === 'geom' && (attrs.type ?? 'sphere') !== 'plane') worldGeoms.push(...geomsOf(item.el, attrs, item.frame, ctx, 'worldbody'));
    if (item.el.tag !== 'body' || item.el === robot) continue;
    const name = item.el.attrs.name ?? `body${scene.length}`;
    if (hasJoints(item.el)) moving.push(name);
    else {
      const frame = compose(item.frame, readFrame(item.el, item.el.attrs, ctx.compiler, ctx.log, `body '${name}'`));
      const geoms = bodyGeoms(item.el, frame, item.el.attrs.childclass ?? item.childclass, defaults, ctx, `body '${name}'`);
      if (geoms.length > 0) scene.push(staticBody(name, geoms));
    }
  }
  if (worldGeoms.length > 0) scene.unshift(staticBody('worldbody', worldGeoms));
  if (moving.length > 0) ctx.notes.add(`bodies with joints beside the robot in <worldbody> (${moving.join(', ')})`);
  return scene;
}

/** A static body and its descendants' colliding geoms, in world coordinates. */
function bodyGeoms(body: MjcfElement, frame: Frame, childclass: string | undefined, defaults: MjcfDefaults, ctx: MjcfContext, label: string): Geom[] {
  return contents(body, frame, childclass, ctx).flatMap((item) => {
    if (item.el.tag === 'geom') return geomsOf(item.el, defaults.attrs(item.el, item.childclass), item.frame, ctx, label);
    if (item.el.tag !== 'body') return [];
    const inner = compose(item.frame, readFrame(item.el, item.el.attrs, ctx.compiler, ctx.log, label));
    return bodyGeoms(item.el, inner, item.el.attrs.childclass ?? item.childclass, defaults, ctx, label);
  });
}

function geomsOf(el: MjcfElement, attrs: Record<string, string>, frame: Frame, ctx: MjcfContext, label: string): Geom[] {
  const { collision } = readGeom(el, attrs, frame, ctx, label, false);
  return collision ? [collision] : [];
}

const staticBody = (name: string, geoms: Geom[]): SceneBody => ({ name, geoms, pose: { xyz: [0, 0, 0], rpy: [0, 0, 0] } });
