// The middle level: plans a short sequence of waypoints toward the subgoal's target by sampling over waypoints
// (cross-entropy method) on a level-1 WaypointModel.
import { Rng, type WaypointModel, type WaypointStart } from '@itinera/core';

export interface WaypointPlannerOptions {
  /** Waypoints per plan. */
  count: number;
  samples: number;
  iterations: number;
  elites: number;
  /** Initial std of the sampled waypoints around the straight line (m). */
  spread: number;
  /** Largest spacing of the nominal waypoints along the straight line (m). */
  spacing: number;
}

export const WAYPOINT_DEFAULTS: WaypointPlannerOptions = { count: 2, samples: 48, iterations: 3, elites: 6, spread: 0.8, spacing: 1.5 };

export class WaypointPlanner {
  private rng: Rng;

  constructor(
    readonly model: WaypointModel,
    readonly options: WaypointPlannerOptions = WAYPOINT_DEFAULTS,
    seed = 0,
  ) {
    this.rng = new Rng(seed).fork('waypoints');
  }

  reset(seed: number): void {
    this.rng = new Rng(seed).fork('waypoints');
  }

  /** Waypoints [count][x, y] from the base at `from` toward the start's subgoal target. */
  async plan(start: WaypointStart, from: readonly [number, number]): Promise<Float64Array> {
    const target = start.subgoal.target ?? from;
    const { count, samples, iterations, spacing } = this.options;
    const d = Math.hypot(target[0] - from[0], target[1] - from[1]);
    const mean = new Float64Array(count * 2);
    for (let i = 0; i < count; i++) {
      const u = d > 0 ? Math.min(d, spacing * (i + 1)) / d : 0;
      mean[2 * i] = from[0] + u * (target[0] - from[0]);
      mean[2 * i + 1] = from[1] + u * (target[1] - from[1]);
    }
    const std = new Float64Array(count * 2).fill(this.options.spread);
    let best = Float64Array.from(mean);
    let bestCost = Infinity;
    for (let it = 0; it < iterations; it++) {
      const candidates = Array.from({ length: samples }, (_, b) => (b === 0 ? Float64Array.from(mean) : Float64Array.from(mean, (m, k) => m + std[k] * this.rng.normal())));
      const actions = new Float64Array(samples * count * 2);
      candidates.forEach((c, b) => actions.set(c, b * count * 2));
      const { costs } = await this.model.rollout(start, actions, samples, count);
      const totals = candidates.map((_, b) => costs.subarray(b * count, (b + 1) * count).reduce((s, c) => s + c, 0));
      const order = totals.map((_, b) => b).sort((a, b) => totals[a] - totals[b]);
      if (totals[order[0]] < bestCost) {
        bestCost = totals[order[0]];
        best = candidates[order[0]];
      }
      const elites = order.slice(0, this.options.elites).map((b) => candidates[b]);
      for (let k = 0; k < mean.length; k++) {
        mean[k] = elites.reduce((s, e) => s + e[k], 0) / elites.length;
        std[k] = Math.max(0.05, Math.sqrt(elites.reduce((s, e) => s + (e[k] - mean[k]) ** 2, 0) / elites.length));
      }
    }
    return best;
  }
}
