// Scripted actors (elevator car, doors, taxi, a walking person): kinematic scene bodies whose poses follow the
// task's plain-data state, so env snapshots replay them exactly. Sims implement Task.advance; physics drives it.
import type { Vec3 } from './spec.js';

/** Where a kinematic scene body should be at the end of the coming control step (see Task.advance). */
export interface ActorPose {
  body: string;
  xyz: Vec3;
  /** Roll-pitch-yaw; absent keeps the body's current orientation. */
  rpy?: Vec3;
  /** Put it there at once, at rest (an actor entering or leaving the scene), instead of moving it over the step. */
  teleport?: boolean;
}
