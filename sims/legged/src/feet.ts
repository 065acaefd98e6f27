// Which links are a legged robot's feet: the ones the task names, else the distal link of each leg.
import { ItineraError, type RobotSpec } from '@itinera/core';

/**
 * Named feet are checked against the robot's links. Detected feet: from every leaf of the link tree, the nearest link
 * up its chain that has a collision shape, kept where that chain has the most moving joints (legs, not rotors or
 * sensor mounts hanging off the base).
 */
export function findFeet(robot: RobotSpec, named?: readonly string[]): string[] {
  const links = new Map(robot.links.map((l) => [l.name, l]));
  if (named && named.length > 0) {
    const unknown = named.filter((n) => !links.has(n));
    if (unknown.length > 0) throw new ItineraError(unknown.map((n) => `feet: robot '${robot.name}' has no link '${n}'`).join('\n'));
    return [...named];
  }
  const parentJoint = new Map(robot.joints.map((j) => [j.child, j]));
  const hasChildren = new Set(robot.joints.map((j) => j.parent));
  const candidates = new Map<string, number>();
  for (const leaf of robot.links.filter((l) => !hasChildren.has(l.name) && l.name !== robot.base.link)) {
    let link = leaf.name;
    while (link !== robot.base.link && (links.get(link)?.collisions.length ?? 0) === 0) link = parentJoint.get(link)!.parent;
    if (link === robot.base.link) continue;
    let moving = 0;
    for (let at = link; at !== robot.base.link; at = parentJoint.get(at)!.parent) if (parentJoint.get(at)!.type !== 'fixed') moving++;
    candidates.set(link, moving);
  }
  const deepest = Math.max(0, ...candidates.values());
  const feet = [...candidates].filter(([, depth]) => depth === deepest && depth > 0).map(([name]) => name);
  if (feet.length < 2) throw new ItineraError(`robot '${robot.name}': found ${feet.length} feet (legs end in links with collision shapes); name them with --sim-opt feet='["link", …]'`);
  return feet;
}

/** Total mass of the robot's links (kg), to scale pushes. */
export function robotMass(robot: RobotSpec): number {
  return robot.links.reduce((sum, l) => sum + (l.mass ?? 0), 0);
}
