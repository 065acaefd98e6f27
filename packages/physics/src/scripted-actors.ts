// Drives scripted actors (core's Task.advance): kinematic scene bodies whose poses follow the task's plain-data
// state, so env snapshots replay them exactly.
import type { Task } from '@itinera/core';
import type { PhysicsWorld } from './physics-world.js';

/** Advances a scripted task by `dt` and steers its kinematic bodies; dt = 0 places them at once (after init). */
export function moveActors(world: PhysicsWorld, task: Task, state: unknown, dt: number): void {
  if (!task.advance) return;
  for (const pose of task.advance(world, state, dt)) world.setKinematicTarget(pose.body, pose.xyz, pose.rpy, dt === 0 || pose.teleport === true);
}
