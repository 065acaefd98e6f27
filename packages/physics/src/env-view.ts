// What a replay viewer draws of a physics env: the robot and scene as described, and where things are now.
import type { EnvView, Frame, PoseQ, Task, Vec3 } from '@itinera/core';
import type { Transform } from './math.js';
import type { PhysicsWorld } from './physics-world.js';

/** Positions to 0.01 mm and quaternions to 1e-6 keep a recorded frame short without visible error. */
const round = (v: number, digits: number) => Number(v.toFixed(digits));
const poseQ = ({ p, q }: Transform): PoseQ => [...p.map((v) => round(v, 5)), ...q.map((v) => round(v, 6))] as PoseQ;

export function physicsEnvView(world: PhysicsWorld, task: Task, taskState: () => unknown): EnvView {
  const movable = task.scene.bodies.filter((b) => b.kinematic || b.mass).map((b) => b.name);
  return {
    scene: () => ({ robot: world.robot, scene: task.scene }),
    frame: (): Frame => ({
      links: Object.fromEntries(world.robot.links.map((l) => [l.name, poseQ(world.linkTransform(l.name))])),
      bodies: Object.fromEntries(movable.map((name) => [name, poseQ(world.bodyTransform(name))])),
      markers: (task.markers?.(taskState()) ?? []).map(({ name, position }) => ({ name, position: position.map((v) => round(v, 5)) as Vec3 })),
    }),
  };
}
