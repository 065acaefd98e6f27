// `network.frame: start`: a mobile robot's observations seen from its base's planar pose (x, y, yaw) at the start of
// each training window and of each plan. Driving is the same everywhere on a floor, so the model learns motion, not
// places: positions become displacements since the start, yaw and world-frame velocities turn with the start heading.
import { ItineraError, yawOf, type PlanarPose } from '@itinera/core';

const REQUIRED = ['base.x', 'base.y', 'base.qx', 'base.qy', 'base.qz', 'base.qw'] as const;
/** Pairs of world-frame (x, y) vector channels that turn with the heading. */
const VECTORS = [
  ['base.vx', 'base.vy'],
  ['base.wx', 'base.wy'],
] as const;

export type { PlanarPose };

export class BaseFrame {
  private readonly at: Record<(typeof REQUIRED)[number], number>;
  private readonly vectors: Array<[number, number]>;

  /** `names`: the channels of the rows this frame transforms (observations, or a model's readouts). */
  constructor(names: readonly string[], what: string) {
    const index = (n: string): number => names.indexOf(n);
    const missing = REQUIRED.filter((n) => index(n) < 0);
    if (missing.length > 0) throw new ItineraError(`network.frame: start needs the base pose among the ${what}; missing ${missing.join(', ')}`);
    this.at = Object.fromEntries(REQUIRED.map((n) => [n, index(n)])) as BaseFrame['at'];
    this.vectors = VECTORS.flatMap(([a, b]) => (index(a) >= 0 && index(b) >= 0 ? [[index(a), index(b)] as [number, number]] : []));
  }

  /** The planar pose in a row of `names` channels starting at `offset`. */
  poseOf(row: ArrayLike<number>, offset = 0): PlanarPose {
    const g = (c: number): number => row[offset + c];
    return { x: g(this.at['base.x']), y: g(this.at['base.y']), yaw: yawOf([g(this.at['base.qx']), g(this.at['base.qy']), g(this.at['base.qz']), g(this.at['base.qw'])]) };
  }

  /** Rewrites the row at `offset` in place: seen from `pose` (toWorld false) or back to the world (toWorld true). */
  transform(rows: Float32Array | Float64Array, offset: number, pose: PlanarPose, toWorld: boolean): void {
    const c = Math.cos(pose.yaw);
    const s = toWorld ? Math.sin(pose.yaw) : -Math.sin(pose.yaw);
    const a = this.at;
    const [x, y] = [rows[offset + a['base.x']], rows[offset + a['base.y']]];
    if (toWorld) {
      rows[offset + a['base.x']] = pose.x + c * x - s * y;
      rows[offset + a['base.y']] = pose.y + s * x + c * y;
    } else {
      rows[offset + a['base.x']] = c * (x - pose.x) - s * (y - pose.y);
      rows[offset + a['base.y']] = s * (x - pose.x) + c * (y - pose.y);
    }
    for (const [i, j] of this.vectors) {
      const [u, v] = [rows[offset + i], rows[offset + j]];
      rows[offset + i] = c * u - s * v;
      rows[offset + j] = s * u + c * v;
    }
    // The orientation turned by ∓yaw about z: (0, 0, sin(θ/2), cos(θ/2)) ⊗ q.
    const half = (toWorld ? pose.yaw : -pose.yaw) / 2;
    const [sr, cr] = [Math.sin(half), Math.cos(half)];
    const [qx, qy, qz, qw] = [rows[offset + a['base.qx']], rows[offset + a['base.qy']], rows[offset + a['base.qz']], rows[offset + a['base.qw']]];
    rows[offset + a['base.qx']] = cr * qx - sr * qy;
    rows[offset + a['base.qy']] = cr * qy + sr * qx;
    rows[offset + a['base.qz']] = cr * qz + sr * qw;
    rows[offset + a['base.qw']] = cr * qw - sr * qz;
  }
}
