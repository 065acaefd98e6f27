// What reach-v1 and reach-v2 share: the cost terms, and success = inside the tolerance with every joint settled.
import type { CostTerm, TaskStatus, Vec3, WorldView } from '@itinera/core';

export const REACH_COST_TERMS: CostTerm[] = [
  { name: 'distance', norm: 'smooth-l2', weight: 1, p: 0.02 },
  { name: 'velocity', norm: 'quadratic', weight: 0.002 },
];

/** Success once the end effector is within `tolerance` of the target and no joint moves faster than `settleSpeed`. */
export function reachStatus(view: WorldView, error: Vec3, options: { tolerance: number; settleSpeed: number }): TaskStatus {
  if (Math.hypot(error[0], error[1], error[2]) >= options.tolerance) return { success: false };
  return { success: view.jointVelocities().every((v) => Math.abs(v) < options.settleSpeed) };
}
