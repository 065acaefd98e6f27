// A cheap level-1 model of a wheeled base following a waypoint: a unicycle that turns toward the waypoint and
// drives at cruising speed, with obstacles taken from the range rays of the start observation (a local map).
// Hand-written rather than learned; a learned level-1 model replaces it through the WaypointModel contract.
import type { Channels, RolloutResult, WaypointModel, WaypointStart } from '@itinera/core';
import { basePose } from './base.js';
import { LocalMaps, type LocalMap } from './local-map.js';

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

export class KinematicRoverModel implements WaypointModel {
  readonly kind = 'analytic' as const;
  readonly backend = 'typescript';
  readonly differentiable = false;
  private readonly maps: LocalMaps;

  constructor(
    private readonly channels: Channels,
    readonly options: KinematicRoverOptions = ROVER_LEVEL1,
    /** Range of the ray sensor: readings at the range hit nothing. */
    private readonly rayRange = 5,
  ) {
    this.maps = new LocalMaps(channels, rayRange);
  }

  get stepSeconds(): number {
    return this.options.stepSeconds;
  }

  represent(observation: Float64Array): Float64Array {
    const p = basePose(this.channels.situation(observation, 0, 0));
    return Float64Array.of(p.x, p.y);
  }

  rollout(start: WaypointStart, actions: Float64Array, batch: number, horizon: number): RolloutResult {
    const map = this.maps.of(start.observation);
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
      if (map) penalty += Math.max(0, radius - map.clearance(pose.x, pose.y)) ** 2;
    }
    return penalty;
  }
}

export function wrap(angle: number): number {
  return Math.atan2(Math.sin(angle), Math.cos(angle));
}
