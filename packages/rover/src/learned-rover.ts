// A learned level-1 model of a wheeled base: a small network, trained on what the level-0 controller did when it
// followed a waypoint (itinera collect --level 1, itinera train), predicts where the base ends up, how it moves
// then, and how much of the step it took. Inference is plain TypeScript: a plan calls it a few hundred times.
import type { Channels, RolloutResult, WaypointModel, WaypointStart } from '@itinera/core';
import { applyLevel1, LEVEL1_OUTPUTS, LEVEL1_INPUTS, level1Input, planarState, type PlanarState } from './level1-features.js';
import type { Level1File } from './level1-file.js';
import { LocalMaps, type LocalMap } from './local-map.js';

export interface LearnedLevel1Options {
  /** Clearance the base needs from obstacles (m), and the penalty's weight against metres left to the target. */
  radius: number;
  clearanceWeight: number;
  rayRange: number;
}

export const LEARNED_LEVEL1_DEFAULTS: LearnedLevel1Options = { radius: 0.42, clearanceWeight: 40, rayRange: 5 };

export class LearnedRoverModel implements WaypointModel {
  readonly kind = 'learned' as const;
  /** Plain TypeScript inference, no tfjs. */
  readonly backend = 'typescript';
  readonly differentiable = false;
  private readonly maps: LocalMaps;
  private readonly x: Float64Array;
  private readonly hidden: Float64Array[];
  /** The network's last prediction, de-normalised. */
  private readonly predicted = new Float64Array(LEVEL1_OUTPUTS.length);

  constructor(
    private readonly channels: Channels,
    private readonly file: Level1File,
    readonly options: LearnedLevel1Options = LEARNED_LEVEL1_DEFAULTS,
  ) {
    this.maps = new LocalMaps(channels, options.rayRange);
    this.x = new Float64Array(LEVEL1_INPUTS.length);
    this.hidden = file.layers.map((l) => new Float64Array(l.out));
  }

  get stepSeconds(): number {
    return this.file.stepSeconds;
  }

  represent(observation: Float64Array): Float64Array {
    const s = planarState(this.channels, observation);
    return Float64Array.of(s.x, s.y);
  }

  rollout(start: WaypointStart, actions: Float64Array, batch: number, horizon: number): RolloutResult {
    const map = this.maps.of(start.observation);
    const target = start.subgoal.target;
    const costs = new Float64Array(batch * horizon);
    const first = planarState(this.channels, start.observation);
    for (let b = 0; b < batch; b++) {
      let state = first;
      for (let h = 0; h < horizon; h++) {
        const i = (b * horizon + h) * 2;
        const next = this.step(state, actions[i], actions[i + 1]);
        const penalty = this.pathPenalty(state, next, map);
        state = next;
        const left = target ? Math.hypot(target[0] - state.x, target[1] - state.y) : 0;
        costs[b * horizon + h] = this.options.clearanceWeight * penalty + left;
      }
    }
    return { costs };
  }

  predict(start: WaypointStart, waypoints: Float64Array, seconds: number): Float64Array {
    let state = planarState(this.channels, start.observation);
    let left = seconds;
    for (let i = 0; i + 1 < waypoints.length && left > 1e-9; i += 2) {
      const next = this.step(state, waypoints[i], waypoints[i + 1]);
      const took = Math.max(1e-3, this.predicted[LEVEL1_OUTPUTS.length - 1]) * this.stepSeconds;
      // Part-way through a step: the base is that share of the way along it.
      const share = Math.min(1, left / took);
      state = { ...next, x: state.x + share * (next.x - state.x), y: state.y + share * (next.y - state.y) };
      left -= took;
    }
    return Float64Array.of(state.x, state.y);
  }

  free(): void {}

  private step(state: PlanarState, wx: number, wy: number): PlanarState {
    const f = this.file;
    level1Input(state, wx, wy, this.x);
    for (let k = 0; k < this.x.length; k++) this.x[k] = (this.x[k] - f.inputMean[k]) / f.inputStd[k];
    let h: ArrayLike<number> = this.x;
    f.layers.forEach((layer, l) => {
      const out = this.hidden[l];
      for (let j = 0; j < layer.out; j++) {
        let sum = layer.b[j];
        for (let i = 0; i < layer.in; i++) sum += h[i] * layer.w[i * layer.out + j];
        out[j] = l + 1 < f.layers.length ? activate(sum, f.activation) : sum;
      }
      h = out;
    });
    for (let k = 0; k < h.length; k++) this.predicted[k] = h[k] * f.outputStd[k] + f.outputMean[k];
    return applyLevel1(state, this.predicted);
  }

  /** Clearance shortfall² summed along the straight path from `a` to `b`, one sample per 6 cm (as the kinematic model). */
  private pathPenalty(a: PlanarState, b: PlanarState, map: LocalMap): number {
    const n = Math.max(1, Math.ceil(Math.hypot(b.x - a.x, b.y - a.y) / 0.06));
    let penalty = 0;
    for (let k = 1; k <= n; k++) {
      const u = k / n;
      penalty += Math.max(0, this.options.radius - map.clearance(a.x + u * (b.x - a.x), a.y + u * (b.y - a.y))) ** 2;
    }
    return penalty;
  }
}

function activate(v: number, activation: Level1File['activation']): number {
  return activation === 'tanh' ? Math.tanh(v) : activation === 'relu' ? Math.max(0, v) : v > 0 ? v : Math.expm1(v);
}
