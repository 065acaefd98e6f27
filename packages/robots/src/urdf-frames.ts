// Frame links (tool0, ee_link, imu): a link with no mass joined by a fixed joint is not a body but a named frame
// of its parent, as MuJoCo's URDF compiler and rapier3d-urdf treat it. Its shapes and children move to the parent.
import type { FrameSpec, Pose } from '@itinera/core';
import type { ReadJoint, ReadLink } from './urdf-elements.js';
import { composePose } from './urdf-pose.js';

/** What frame merging reads of a link and a joint (URDF's and MJCF's readers both have these). */
type FrameLink = Pick<ReadLink, 'spec' | 'hasInertial'>;
type FrameJoint = Pick<ReadJoint, 'spec' | 'urdfType'>;

/** No <inertial>, or a zero mass (ROS files write frames as all-zero inertials). */
export const isMassless = (link: FrameLink) => !link.hasInertial || link.spec.mass === 0;

export interface MergedFrames<L extends FrameLink, J extends FrameJoint> {
  links: L[];
  joints: J[];
  frames: FrameSpec[];
}

/** Merges every massless link hanging from a fixed joint into its nearest massive ancestor; says so in one warning. */
export function mergeFrameLinks<L extends FrameLink, J extends FrameJoint>(links: L[], joints: J[], baseLink: string, warn: (text: string) => void, nouns = ['link', 'links']): MergedFrames<L, J> {
  const linkByName = new Map(links.map((l) => [l.spec.name, l]));
  const parentJoint = new Map(joints.map((j) => [j.spec.child, j]));
  const isFrame = (link: L | undefined): link is L => {
    const joint = link && parentJoint.get(link.spec.name);
    return !!link && link.spec.name !== baseLink && isMassless(link) && joint?.spec.type === 'fixed' && joint.urdfType === 'fixed';
  };
  // Where a frame link sits: its nearest ancestor that stays a body, and the pose in that body's frame.
  const placed = new Map<string, { link: string; origin: Pose }>();
  const place = (link: L, seen = new Set<string>()): { link: string; origin: Pose } => {
    const known = placed.get(link.spec.name);
    if (known) return known;
    const joint = parentJoint.get(link.spec.name)!;
    const parent = linkByName.get(joint.spec.parent);
    seen.add(link.spec.name);
    const above = isFrame(parent) && !seen.has(parent.spec.name) ? place(parent, seen) : { link: joint.spec.parent, origin: IDENTITY };
    const at = { link: above.link, origin: composePose(above.origin, joint.spec.origin) };
    placed.set(link.spec.name, at);
    return at;
  };
  const frameLinks = links.filter(isFrame);
  if (frameLinks.length === 0) return { links, joints, frames: [] };
  for (const link of frameLinks) place(link);

  const keptLinks = links.filter((l) => !placed.has(l.spec.name));
  const kept = new Map(keptLinks.map((l) => [l.spec.name, l]));
  for (const link of frameLinks) {
    const at = placed.get(link.spec.name)!;
    const host = kept.get(at.link);
    for (const geom of link.spec.collisions) host?.spec.collisions.push({ ...geom, origin: composePose(at.origin, geom.origin) });
  }
  const keptJoints = joints.filter((j) => !placed.has(j.spec.child));
  for (const joint of keptJoints) {
    const at = placed.get(joint.spec.parent);
    if (at) joint.spec = { ...joint.spec, parent: at.link, origin: composePose(at.origin, joint.spec.origin) };
  }
  const frames = frameLinks.map((l) => ({ name: l.spec.name, ...placed.get(l.spec.name)! }));
  const names = frames.map((f) => `${f.name} → ${f.link}`).join(', ');
  warn(`${frames.length} massless ${nouns[frames.length > 1 ? 1 : 0]} on fixed joints merged into ${frames.length > 1 ? 'their parents' : 'its parent'} as frames (usable as --end-effector): ${names}`);
  return { links: keptLinks, joints: keptJoints, frames };
}

const IDENTITY: Pose = { xyz: [0, 0, 0], rpy: [0, 0, 0] };
