// A local map from one observation's range rays: the hit points in the world plane, and the surfaces between
// neighbouring hits that are close together. Level-1 models charge waypoints that pass too close to it.
import { rayHits, raySurfaces, type Channels, type PlanarPose } from '@itinera/core';
import { basePose } from './base.js';

export class LocalMap {
  private constructor(
    private readonly points: Float64Array,
    private readonly segments: Float64Array,
  ) {}

  /** Indices of the `ray.K` channels, in ray order. */
  static rayChannels(channels: Channels): number[] {
    return channels.names.flatMap((n, i) => (/^ray\.\d+$/.test(n) ? [i] : []));
  }

  /** Rays spread evenly around the base from its heading; readings at `range` hit nothing. */
  static fromRays(observation: Float64Array, rays: readonly number[], pose: PlanarPose, range: number): LocalMap {
    const hits = rayHits(Float64Array.from(rays, (i) => observation[i]), pose, range);
    return new LocalMap(Float64Array.from(hits.flatMap((h) => h ?? [])), Float64Array.from(raySurfaces(hits)));
  }

  /** Distance from (x, y) to the nearest mapped point or surface. */
  clearance(x: number, y: number): number {
    let best = Infinity;
    const p = this.points;
    for (let i = 0; i < p.length; i += 2) best = Math.min(best, Math.hypot(p[i] - x, p[i + 1] - y));
    const s = this.segments;
    for (let i = 0; i < s.length; i += 4) best = Math.min(best, segmentDistance(x, y, s[i], s[i + 1], s[i + 2], s[i + 3]));
    return best;
  }
}

function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const vx = bx - ax;
  const vy = by - ay;
  const len2 = vx * vx + vy * vy;
  const u = len2 > 0 ? Math.max(0, Math.min(1, ((px - ax) * vx + (py - ay) * vy) / len2)) : 0;
  return Math.hypot(px - (ax + u * vx), py - (ay + u * vy));
}

/** Local maps of an env's observations, built once per observation object (a plan asks many times). */
export class LocalMaps {
  private readonly rays: number[];
  private readonly maps = new WeakMap<Float64Array, LocalMap>();

  constructor(
    private readonly channels: Channels,
    /** Range of the ray sensor: readings at the range hit nothing. */
    private readonly range: number,
  ) {
    this.rays = LocalMap.rayChannels(channels);
  }

  of(observation: Float64Array): LocalMap {
    let map = this.maps.get(observation);
    if (!map) {
      map = LocalMap.fromRays(observation, this.rays, basePose(this.channels.situation(observation, 0, 0)), this.range);
      this.maps.set(observation, map);
    }
    return map;
  }
}
