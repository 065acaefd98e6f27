// Scripted actors (elevator car, doors, taxi, a walking person): kinematic scene bodies whose poses follow the
// task's plain-data state, so env snapshots replay them exactly. Sims depend on core only, so they meet this
// contract structurally (an `advance` method on their task object) instead of importing it.
import type { SceneBody, Task, Vec3, WorldView } from '@itinera/core';
import type { PhysicsWorld } from './physics-world.js';

/** Where a kinematic scene body should be at the end of the coming control step. */
export interface ActorPose {
  body: string;
  xyz: Vec3;
  /** Roll-pitch-yaw; absent keeps the body's current orientation. */
  rpy?: Vec3;
  /** Put it there at once, at rest (an actor entering or leaving the scene), instead of moving it over the step. */
  teleport?: boolean;
}

/** A task with scripted actors: it advances its own state by one control step and places its kinematic bodies. */
export interface ScriptedTask<State = unknown> extends Task<State> {
  /**
   * Called before every control step (and once after init, with dt = 0, to place actors where the seed put them).
   * May mutate `state` (plain data); returns the kinematic bodies' poses for the end of the step.
   */
  advance(view: WorldView, state: State, dt: number): readonly ActorPose[];
}

export function isScriptedTask(task: Task): task is ScriptedTask {
  return typeof (task as Partial<ScriptedTask>).advance === 'function';
}

/**
 * A static scene body the robot drives on (an upper floor, a ramp, an elevator car's floor): like the ground it
 * is no obstacle, so touching it does not charge the collision guardrail. Marked by `walkable: true` on the body.
 */
export function isWalkable(body: SceneBody): boolean {
  return (body as SceneBody & { walkable?: boolean }).walkable === true;
}

/** Plain-data subgoal a planner writes into its own copy's task state: the cost of the level below reads it. */
export const SUBGOAL_KEY = 'subgoal';

/** Advances a scripted task by `dt` and steers its kinematic bodies; dt = 0 places them at once (after init). */
export function moveActors(world: PhysicsWorld, task: Task, state: unknown, dt: number): void {
  if (!isScriptedTask(task)) return;
  for (const pose of task.advance(world, state, dt)) world.setKinematicTarget(pose.body, pose.xyz, pose.rpy, dt === 0 || pose.teleport === true);
}
