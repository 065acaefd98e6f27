// Rest-pose layout of a robot: where each link sits, and which rigid body carries it.
// Links welded by fixed joints share their parent's body (fewer bodies, stiffer, faster).
import type { JointSpec, LinkSpec, RobotSpec, Vec3 } from '@itinera/core';
import { compose, fromPose, rotate, type Transform } from './math.js';

export interface LinkLayout {
  link: LinkSpec;
  /** Link frame in the world at rest. */
  rest: Transform;
  /** Index of the rigid body that carries this link. */
  body: number;
  /** Link frame relative to its body's frame (bodies rest with identity rotation). */
  offset: Transform;
}

export interface ActuatedJoint {
  joint: JointSpec;
  parentBody: number;
  childBody: number;
  /** Unit axis, identical in both bodies' frames because bodies rest unrotated. */
  axis: Vec3;
  /** Child body origin relative to the parent body at rest. */
  restOffset: Vec3;
}

export interface RobotLayout {
  links: Map<string, LinkLayout>;
  /** Rest position of each body (its owning link's origin); rotation is identity. */
  bodies: Array<{ owner: string; position: Vec3 }>;
  joints: ActuatedJoint[];
}

export function layoutRobot(spec: RobotSpec): RobotLayout {
  const linkByName = new Map(spec.links.map((l) => [l.name, l]));
  const childJoints = new Map<string, JointSpec[]>();
  for (const j of spec.joints) childJoints.set(j.parent, [...(childJoints.get(j.parent) ?? []), j]);

  const links = new Map<string, LinkLayout>();
  const bodies: RobotLayout['bodies'] = [];
  const joints: ActuatedJoint[] = [];
  const baseRest = fromPose(spec.base.pose);
  bodies.push({ owner: spec.base.link, position: baseRest.p });
  links.set(spec.base.link, { link: linkByName.get(spec.base.link)!, rest: baseRest, body: 0, offset: { p: [0, 0, 0], q: baseRest.q } });

  const queue = [spec.base.link];
  while (queue.length > 0) {
    const parentName = queue.shift()!;
    const parent = links.get(parentName)!;
    for (const joint of childJoints.get(parentName) ?? []) {
      const rest = compose(parent.rest, fromPose(joint.origin));
      const link = linkByName.get(joint.child)!;
      if (joint.type === 'fixed') {
        const bodyPos = bodies[parent.body].position;
        const offset: Transform = { p: [rest.p[0] - bodyPos[0], rest.p[1] - bodyPos[1], rest.p[2] - bodyPos[2]], q: rest.q };
        links.set(link.name, { link, rest, body: parent.body, offset });
      } else {
        const body = bodies.length;
        bodies.push({ owner: link.name, position: rest.p });
        links.set(link.name, { link, rest, body, offset: { p: [0, 0, 0], q: rest.q } });
        const parentPos = bodies[parent.body].position;
        joints.push({
          joint,
          parentBody: parent.body,
          childBody: body,
          axis: rotate(rest.q, joint.axis),
          restOffset: [rest.p[0] - parentPos[0], rest.p[1] - parentPos[1], rest.p[2] - parentPos[2]],
        });
      }
      queue.push(link.name);
    }
  }
  return { links, bodies, joints };
}
