// `network.frame: start`: a mobile robot's observations seen from its base's planar pose (x, y, yaw) at the start of
// each training window and of each plan. Driving is the same everywhere on a floor, so the model learns motion, not
// places: positions become displacements since the start, yaw and world-frame velocities turn with the start heading.
// A config may name more planar points (a scene body's NAME.x/NAME.y, a target) and vectors (NAME.x/NAME.y
// differences) to see from the same pose, so what the robot acts on is seen relative to it as well.
import { ItineraError, yawOf, type PlanarPose } from '@itinera/core';

const REQUIRED = ['base.x', 'base.y', 'base.qx', 'base.qy', 'base.qz', 'base.qw'] as const;
/** Pairs of world-frame (x, y) vector channels that turn with the heading. */
const VECTORS = [
  ['base.vx', 'base.vy'],
  ['base.wx', 'base.wy'],
] as const;

export type { PlanarPose };

/** Channel-pair prefixes beyond the base's own: NAME.x/NAME.y points (moved and turned) and vectors (turned). */
export interface FrameChannels {
  points?: readonly string[];
  vectors?: readonly string[];
}

export class BaseFrame {
  private readonly at: Record<(typeof REQUIRED)[number], number>;
  private readonly vectors: Array<[number, number]>;
  private readonly points: Array<[number, number]>;

  /**
   * `names`: the channels of the rows this frame transforms (observations, or a model's readouts). `extra` names
   * further pairs; each must be among the rows whole, or (`partial`, for readouts) wholly absent.
   */
  constructor(names: readonly string[], what: string, extra: FrameChannels = {}, partial = false) {
    const index = (n: string): number => names.indexOf(n);
    const missing = REQUIRED.filter((n) => index(n) < 0);
    if (missing.length > 0) throw new ItineraError(`network.frame: start needs the base pose among the ${what}; missing ${missing.join(', ')}`);
    this.at = Object.fromEntries(REQUIRED.map((n) => [n, index(n)])) as BaseFrame['at'];
    const pairs = (prefixes: readonly string[] = [], key: string): Array<[number, number]> =>
      prefixes.flatMap((p) => {
        const pair = [index(`${p}.x`), index(`${p}.y`)] as [number, number];
        if (pair.every((i) => i >= 0) || (partial && pair.every((i) => i < 0))) return pair[0] >= 0 ? [pair] : [];
        throw new ItineraError(`network.${key} names '${p}', but the ${what} lack ${[`${p}.x`, `${p}.y`].filter((n) => index(n) < 0).join(' and ')}`);
      });
    this.vectors = [
      ...VECTORS.flatMap(([a, b]) => (index(a) >= 0 && index(b) >= 0 ? [[index(a), index(b)] as [number, number]] : [])),
      ...pairs(extra.vectors, 'frameVectors'),
    ];
    this.points = pairs(extra.points, 'framePoints');
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
    for (const [i, j] of [[a['base.x'], a['base.y']] as [number, number], ...this.points]) {
      const [x, y] = [rows[offset + i], rows[offset + j]];
      if (toWorld) {
        rows[offset + i] = pose.x + c * x - s * y;
        rows[offset + j] = pose.y + s * x + c * y;
      } else {
        rows[offset + i] = c * (x - pose.x) - s * (y - pose.y);
        rows[offset + j] = s * (x - pose.x) + c * (y - pose.y);
      }
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

/** The frame a model's `network` config asks for over rows of `names` (undefined for frame: world). */
export function frameFor(
  network: { frame: 'world' | 'start'; framePoints?: readonly string[]; frameVectors?: readonly string[] },
  names: readonly string[],
  what: string,
  partial = false,
): BaseFrame | undefined {
  const extra = { points: network.framePoints, vectors: network.frameVectors };
  if (network.frame === 'start') return new BaseFrame(names, what, extra, partial);
  if ((extra.points?.length ?? 0) + (extra.vectors?.length ?? 0) > 0) throw new ItineraError('network.framePoints and network.frameVectors need network.frame: start');
  return undefined;
}
