// A cheap level-1 model of a wheeled base following a waypoint: a unicycle that turns toward the waypoint and
// drives at cruising speed, with obstacles taken from the range rays of the start observation (a local map).
// Hand-written rather than learned; a learned level-1 model replaces it through the WaypointModel contract.
import type { RolloutResult } from '@itinera/core';
import { basePose, type Channels } from './situation.js';
import type { WaypointModel, WaypointStart } from './waypoint-model.js';

export interface KinematicRoverOptions {
  /** Cruising speed while following a waypoint (m/s): what the level-0 controller achieves. */
  speed: number;
  /** Largest turn rate (rad/s). */
  turnRate: number;
  /** Seconds one waypoint is followed at most (a rollout step). */
  stepSeconds: number;
  /** Clearance the base needs from obstacles (m). */
  radius: number;
  /** Integration step (s). */
  dt: number;
  /** Weight of the clearance penalty against metres of distance left to the target. */
  clearanceWeight: number;
}

export const ROVER_LEVEL1: KinematicRoverOptions = { speed: 0.6, turnRate: 2.5, stepSeconds: 3, radius: 0.42, dt: 0.1, clearanceWeight: 40 };

/** Ray hits in the world plane: points, and the surfaces between neighbouring hits that are close together. */
interface LocalMap {
  points: Float64Array;
  segments: Float64Array;
}

export class KinematicRoverModel implements WaypointModel {
  readonly kind = 'simulator' as const;
  readonly differentiable = false;
  private readonly rays: number[];
  private readonly maps = new WeakMap<Float64Array, LocalMap>();

  constructor(
    private readonly channels: Channels,
    readonly options: KinematicRoverOptions = ROVER_LEVEL1,
    /** Range of the ray sensor: readings at the range hit nothing. */
    private readonly rayRange = 5,
  ) {
    this.rays = channels.names.flatMap((n, i) => (/^ray\.\d+$/.test(n) ? [i] : []));
  }

  get stepSeconds(): number {
    return this.options.stepSeconds;
  }

  represent(observation: Float64Array): Float64Array {
    const p = basePose(this.channels.situation(observation, 0, 0));
    return Float64Array.of(p.x, p.y);
  }

  rollout(start: WaypointStart, actions: Float64Array, batch: number, horizon: number): RolloutResult {
    const map = this.localMap(start.observation);
    const target = start.subgoal.target;
    const costs = new Float64Array(batch * horizon);
    const pose0 = basePose(this.channels.situation(start.observation, 0, 0));
    for (let b = 0; b < batch; b++) {
      const pose = { ...pose0 };
      for (let h = 0; h < horizon; h++) {
        const i = (b * horizon + h) * 2;
        const penalty = this.follow(pose, actions[i], actions[i + 1], this.options.stepSeconds, map);
        const left = target ? Math.hypot(target[0] - pose.x, target[1] - pose.y) : 0;
        costs[b * horizon + h] = this.options.clearanceWeight * penalty + left;
      }
    }
    return { costs };
  }

  predict(start: WaypointStart, waypoints: Float64Array, seconds: number): Float64Array {
    const pose = basePose(this.channels.situation(start.observation, 0, 0));
    let left = seconds;
    for (let i = 0; i + 1 < waypoints.length && left > 0; i += 2) {
      const used = Math.min(left, this.options.stepSeconds);
      this.follow(pose, waypoints[i], waypoints[i + 1], used);
      left -= used;
    }
    return Float64Array.of(pose.x, pose.y);
  }

  free(): void {}

  /** Moves `pose` toward (wx, wy) for `seconds`; returns the summed clearance shortfall² along the way. */
  private follow(pose: { x: number; y: number; yaw: number }, wx: number, wy: number, seconds: number, map?: LocalMap): number {
    const { speed, turnRate, dt, radius } = this.options;
    let penalty = 0;
    for (let t = 0; t < seconds - 1e-9; t += dt) {
      const dx = wx - pose.x;
      const dy = wy - pose.y;
      if (Math.hypot(dx, dy) < 0.1) break;
      const error = wrap(Math.atan2(dy, dx) - pose.yaw);
      pose.yaw += Math.max(-turnRate * dt, Math.min(turnRate * dt, error));
      const forward = speed * dt * Math.max(0, Math.cos(error));
      pose.x += forward * Math.cos(pose.yaw);
      pose.y += forward * Math.sin(pose.yaw);
      if (map) penalty += Math.max(0, radius - clearance(map, pose.x, pose.y)) ** 2;
    }
    return penalty;
  }

  private localMap(observation: Float64Array): LocalMap {
    const cached = this.maps.get(observation);
    if (cached) return cached;
    const { x, y, yaw } = basePose(this.channels.situation(observation, 0, 0));
    const n = this.rays.length;
    const hits: Array<[number, number] | undefined> = this.rays.map((index, k) => {
      const d = observation[index];
      if (!(d < this.rayRange - 1e-6)) return undefined;
      const a = yaw + (2 * Math.PI * k) / n;
      return [x + d * Math.cos(a), y + d * Math.sin(a)];
    });
    const points = hits.flatMap((h) => h ?? []);
    const segments: number[] = [];
    hits.forEach((h, k) => {
      const next = hits[(k + 1) % n];
      // Neighbouring hits this close are one surface (a wall), not two posts with a gap between.
      if (h && next && Math.hypot(h[0] - next[0], h[1] - next[1]) < 0.7) segments.push(h[0], h[1], next[0], next[1]);
    });
    const map = { points: Float64Array.from(points), segments: Float64Array.from(segments) };
    this.maps.set(observation, map);
    return map;
  }
}

function clearance(map: LocalMap, x: number, y: number): number {
  let best = Infinity;
  const p = map.points;
  for (let i = 0; i < p.length; i += 2) best = Math.min(best, Math.hypot(p[i] - x, p[i + 1] - y));
  const s = map.segments;
  for (let i = 0; i < s.length; i += 4) best = Math.min(best, segmentDistance(x, y, s[i], s[i + 1], s[i + 2], s[i + 3]));
  return best;
}

function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const vx = bx - ax;
  const vy = by - ay;
  const len2 = vx * vx + vy * vy;
  const u = len2 > 0 ? Math.max(0, Math.min(1, ((px - ax) * vx + (py - ay) * vy) / len2)) : 0;
  return Math.hypot(px - (ax + u * vx), py - (ay + u * vy));
}

export function wrap(angle: number): number {
  return Math.atan2(Math.sin(angle), Math.cos(angle));
}
