// What a ring of range rays (RobotSpec sensors.rays) sees, as obstacle points in the world plane, and how deep a
// planar footprint reaches into them. A learned model decodes no contacts; with these it charges the collision
// guardrail from the start observation's rays, as the simulator does from contacts.
import type { PlanarBox } from './kinematics.js';

export interface PlanarPose {
  x: number;
  y: number;
  yaw: number;
}

/** Heading (rad) of an (x, y, z, w) orientation about the world's z axis. */
export function yawOf([qx, qy, qz, qw]: readonly number[]): number {
  return Math.atan2(2 * (qw * qz + qx * qy), 1 - 2 * (qy * qy + qz * qz));
}

/** World-plane hit of each ray (undefined: it reached `range`), rays spread evenly from the ring's heading. */
export function rayHits(readings: ArrayLike<number>, pose: PlanarPose, range: number): Array<[number, number] | undefined> {
  const n = readings.length;
  return Array.from({ length: n }, (_, k) => {
    const d = readings[k];
    if (!(d < range - 1e-6)) return undefined;
    const a = pose.yaw + (2 * Math.PI * k) / n;
    return [pose.x + d * Math.cos(a), pose.y + d * Math.sin(a)];
  });
}

/** Neighbouring hits this close are one surface (a wall), not two posts with a gap between. */
export const SURFACE_GAP = 0.7;

/** Hit pairs that are one surface, as [ax, ay, bx, by] runs. */
export function raySurfaces(hits: ReadonlyArray<readonly [number, number] | undefined>): number[] {
  const segments: number[] = [];
  hits.forEach((h, k) => {
    const next = hits[(k + 1) % hits.length];
    if (h && next && Math.hypot(h[0] - next[0], h[1] - next[1]) < SURFACE_GAP) segments.push(h[0], h[1], next[0], next[1]);
  });
  return segments;
}

/**
 * Obstacle points (x, y pairs) within `radius` of `centre`: every hit, and points every `spacing` m along the
 * surfaces between neighbouring hits.
 */
export function obstaclePoints(hits: ReadonlyArray<readonly [number, number] | undefined>, centre: readonly [number, number], radius: number, spacing = 0.04): Float64Array {
  const out: number[] = [];
  const keep = (x: number, y: number) => {
    if (Math.hypot(x - centre[0], y - centre[1]) <= radius) out.push(x, y);
  };
  for (const h of hits) if (h) keep(h[0], h[1]);
  const s = raySurfaces(hits);
  for (let i = 0; i < s.length; i += 4) {
    const n = Math.ceil(Math.hypot(s[i + 2] - s[i], s[i + 3] - s[i + 1]) / spacing);
    for (let k = 1; k < n; k++) keep(s[i] + ((s[i + 2] - s[i]) * k) / n, s[i + 1] + ((s[i + 3] - s[i + 1]) * k) / n);
  }
  return Float64Array.from(out);
}

/** How far (m) the deepest obstacle point lies inside `box` (in the base frame at `pose`) grown by `margin`; 0 if none. */
export function footprintIntrusion(points: Float64Array, box: PlanarBox, pose: PlanarPose, margin: number): number {
  const c = Math.cos(pose.yaw);
  const s = Math.sin(pose.yaw);
  let deepest = 0;
  for (let i = 0; i < points.length; i += 2) {
    const dx = points[i] - pose.x;
    const dy = points[i + 1] - pose.y;
    const u = c * dx + s * dy;
    const v = -s * dx + c * dy;
    const depth = Math.min(u - (box.xMin - margin), box.xMax + margin - u, v - (box.yMin - margin), box.yMax + margin - v);
    if (depth > deepest) deepest = depth;
  }
  return deepest;
}
