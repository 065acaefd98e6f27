// The keep-out guardrail's residual, one definition for the simulator and for learned models alike.
import type { Region, Vec3 } from './spec.js';

/** How deep (m) a point lies inside a region's box: the smallest distance to one of its faces, 0 outside. */
export function keepOutDepth(region: Region, p: Vec3): number {
  const depth = Math.min(p[0] - region.min[0], region.max[0] - p[0], p[1] - region.min[1], region.max[1] - p[1], p[2] - region.min[2], region.max[2] - p[2]);
  return Math.max(0, depth);
}
