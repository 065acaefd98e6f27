// The level-0 cost of a wheeled base given a plain-data subgoal: scenarios with a rover use it for their residuals,
// so "the cost of the level below" is one function of the subgoal the level above writes into the task state.
import { yawOf, type CostTerm, type Residuals, type Subgoal, type WorldView } from '@itinera/core';

export interface DriveSubgoal extends Subgoal {
  /** Where the base should go (world x-y, m). */
  readonly target?: readonly [number, number];
  /** A point the base should face once at the target (a button, a door). */
  readonly face?: readonly [number, number];
  /** A point (world, m) the end effector should touch: a button to press. */
  readonly reach?: readonly [number, number, number];
  /** Angle to hold the arm joint at (rad); default stowed up. */
  readonly arm?: number;
  /** Cruising speed toward the target (m/s); 0 holds still. */
  readonly speed?: number;
  /** Pass through the target without slowing (an intermediate waypoint). */
  readonly via?: boolean;
}

export const DRIVE_COST_TERMS: readonly CostTerm[] = Object.freeze([
  { name: 'target', norm: 'smooth-l2', weight: 1, p: 0.1 },
  { name: 'progress', norm: 'quadratic', weight: 2 },
  { name: 'heading', norm: 'quadratic', weight: 1 },
  { name: 'arm', norm: 'quadratic', weight: 0.3 },
  { name: 'reach', norm: 'smooth-l2', weight: 3, p: 0.01 },
  // Kept level: a base pitched up on its paddle or tilted onto a wall stays stuck there.
  { name: 'tilt', norm: 'quadratic', weight: 10, guardrail: true },
] satisfies CostTerm[]);

/** Tilt (rad) a wheeled base may take without charge: a 1:6 ramp leans it about 0.17 rad. */
const FREE_TILT = 0.3;

function wrap(angle: number): number {
  return Math.atan2(Math.sin(angle), Math.cos(angle));
}

const STOWED_ARM = -1.0;
const DEFAULT_SPEED = 0.7;

/** Residuals of DRIVE_COST_TERMS (a task's residuals read its state's subgoal, SUBGOAL_KEY, else a flat one); `armJoint` indexes the arm in jointPositions() (−1: no arm). */
export function driveResiduals(view: WorldView, goal: DriveSubgoal, armJoint: number): Residuals {
  const [x, y] = view.basePosition();
  const [tx, ty] = goal.target ?? [x, y];
  const dx = tx - x;
  const dy = ty - y;
  const d = Math.hypot(dx, dy);
  const [vx, vy] = view.baseVelocity();
  const toward = d > 1e-6 ? (vx * dx + vy * dy) / d : 0;
  const speed = goal.speed ?? DEFAULT_SPEED;
  // Slow down on the last metre unless passing through.
  const wanted = goal.via ? speed : Math.min(speed, 1.2 * Math.max(0, d - 0.05));
  const yaw = yawOf(view.baseQuaternion());
  // 2·sin(e/2) grows like the angle e itself near 0 (1 − cos e would vanish like e², too weak to turn on the spot).
  let heading = 0;
  if (d > 0.3) heading = 2 * Math.sin(wrap(Math.atan2(dy, dx) - yaw) / 2);
  else if (goal.face) heading = 2 * Math.sin(wrap(Math.atan2(goal.face[1] - y, goal.face[0] - x) - yaw) / 2);
  const arm = armJoint >= 0 ? view.jointPositions()[armJoint] - (goal.arm ?? STOWED_ARM) : 0;
  // Pressing is judged by the paddle, so near the target its distance to the button takes over; never near a
  // waypoint passed through (the button is then metres away, and the jump in cost would hold the base off it).
  let reach: number[] = [0, 0, 0];
  if (goal.reach && !goal.via && d < 0.8) {
    const tip = view.endEffectorPosition();
    reach = [tip[0] - goal.reach[0], tip[1] - goal.reach[1], tip[2] - goal.reach[2]];
  }
  const [qx, qy] = view.baseQuaternion();
  const tilt = Math.acos(Math.max(-1, Math.min(1, 1 - 2 * (qx * qx + qy * qy))));
  return { target: [dx, dy], progress: [toward - wanted], heading: [heading], arm: [arm], reach, tilt: [Math.max(0, tilt - FREE_TILT)] };
}
