// A level-1 model whose representation is learned: an encoder maps the base's planar state, seen from the frame of
// the plan's start, to a latent z; a predictor, trained JEPA-style on the level-0 controller's own waypoint segments,
// gives the z reached after following a waypoint; a linear readout turns z into the planar position the waypoint
// cost needs. Plans roll out in z; surprise is the distance between the predicted z and the z of what was observed.
import type { Channels, RolloutResult, WaypointModel, WaypointStart } from '@itinera/core';
import type { LearnedLevel1Options } from './learned-rover.js';
import { LATENT_STATE, type DenseLayer, type LatentLevel1File } from './latent-level1-file.js';
import { planarState, type PlanarState } from './level1-features.js';
import { LocalMaps, type LocalMap } from './local-map.js';

type Activation = LatentLevel1File['activation'];

/** A planar pose: the frame a plan's latents are written in. */
interface Frame {
  x: number;
  y: number;
  cos: number;
  sin: number;
}

export class LatentRoverModel implements WaypointModel {
  readonly kind = 'learned' as const;
  /** Plain TypeScript inference: no tfjs backend is involved. */
  readonly backend = 'typescript';
  readonly differentiable = false;
  private readonly maps: LocalMaps;
  private readonly state = new Float64Array(LATENT_STATE.length);
  private readonly predictorInput: Float64Array;
  private readonly position = new Float64Array(2);

  constructor(
    private readonly channels: Channels,
    private readonly file: LatentLevel1File,
    readonly options: LearnedLevel1Options,
  ) {
    this.maps = new LocalMaps(channels, options.rayRange);
    this.predictorInput = new Float64Array(file.latent + 2);
  }

  get stepSeconds(): number {
    return this.file.stepSeconds;
  }

  /** z of the observation in the frame of the plan's `start` (its own frame when there is none), in typical errors. */
  represent(observation: Float64Array, start?: WaypointStart): Float64Array {
    const now = planarState(this.channels, observation);
    return this.scaled(this.encode(now, frameOf(start ? planarState(this.channels, start.observation) : now)));
  }

  rollout(start: WaypointStart, actions: Float64Array, batch: number, horizon: number): RolloutResult {
    const map = this.maps.of(start.observation);
    const target = start.subgoal.target;
    const first = planarState(this.channels, start.observation);
    const frame = frameOf(first);
    const z0 = this.encode(first, frame);
    const costs = new Float64Array(batch * horizon);
    for (let b = 0; b < batch; b++) {
      let z = z0;
      let [px, py] = [first.x, first.y];
      for (let h = 0; h < horizon; h++) {
        const i = (b * horizon + h) * 2;
        z = this.step(z, frame, actions[i], actions[i + 1]).z;
        const [nx, ny] = this.readout(z, frame);
        const penalty = pathPenalty(px, py, nx, ny, map, this.options.radius);
        [px, py] = [nx, ny];
        const left = target ? Math.hypot(target[0] - px, target[1] - py) : 0;
        costs[b * horizon + h] = this.options.clearanceWeight * penalty + left;
      }
    }
    return { costs };
  }

  /** The z expected `seconds` after the start (part-way through a step: interpolated along it), in typical errors. */
  predict(start: WaypointStart, waypoints: Float64Array, seconds: number): Float64Array {
    const first = planarState(this.channels, start.observation);
    const frame = frameOf(first);
    let z = this.encode(first, frame);
    let left = seconds;
    for (let i = 0; i + 1 < waypoints.length && left > 1e-9; i += 2) {
      const next = this.step(z, frame, waypoints[i], waypoints[i + 1]);
      const took = Math.max(1e-3, next.share) * this.stepSeconds;
      const share = Math.min(1, left / took);
      z = z.map((v, k) => v + share * (next.z[k] - v));
      left -= took;
    }
    return this.scaled(z);
  }

  free(): void {}

  private scaled(z: Float64Array): Float64Array {
    return z.map((v, k) => v / this.file.latentScale[k]);
  }

  private encode(s: PlanarState, frame: Frame): Float64Array {
    const f = this.file;
    const [dx, dy] = [s.x - frame.x, s.y - frame.y];
    const [c, n] = [Math.cos(s.yaw), Math.sin(s.yaw)];
    const raw = [frame.cos * dx + frame.sin * dy, -frame.sin * dx + frame.cos * dy, frame.cos * c + frame.sin * n, frame.cos * n - frame.sin * c, s.forward, s.left, s.turn];
    for (let k = 0; k < raw.length; k++) this.state[k] = (raw[k] - f.stateMean[k]) / f.stateStd[k];
    return forward(f.encoder, this.state, f.activation);
  }

  /** z after following waypoint (wx, wy) (world frame), and the share of the step that took. */
  private step(z: Float64Array, frame: Frame, wx: number, wy: number): { z: Float64Array; share: number } {
    const f = this.file;
    const [dx, dy] = [wx - frame.x, wy - frame.y];
    this.predictorInput.set(z);
    this.predictorInput[f.latent] = (frame.cos * dx + frame.sin * dy) / f.waypointScale;
    this.predictorInput[f.latent + 1] = (-frame.sin * dx + frame.cos * dy) / f.waypointScale;
    const out = forward(f.predictor, this.predictorInput, f.activation);
    return { z: z.map((v, k) => v + out[k]), share: out[f.latent] };
  }

  private readout(z: Float64Array, frame: Frame): [number, number] {
    dense(this.file.readout, z, this.position, undefined);
    const [x, y] = this.position;
    return [frame.x + frame.cos * x - frame.sin * y, frame.y + frame.sin * x + frame.cos * y];
  }
}

function frameOf(s: PlanarState): Frame {
  return { x: s.x, y: s.y, cos: Math.cos(s.yaw), sin: Math.sin(s.yaw) };
}

/** out = activation(x·W + b) (no activation when `activation` is undefined); W is row-major [in][out]. */
function dense(layer: DenseLayer, x: ArrayLike<number>, out: Float64Array, activation: Activation | undefined): Float64Array {
  for (let j = 0; j < layer.out; j++) {
    let sum = layer.b[j];
    for (let i = 0; i < layer.in; i++) sum += x[i] * layer.w[i * layer.out + j];
    out[j] = activation === undefined ? sum : activation === 'tanh' ? Math.tanh(sum) : activation === 'relu' ? Math.max(0, sum) : sum > 0 ? sum : Math.expm1(sum);
  }
  return out;
}

/** A dense stack with the activation between layers and a linear last layer. */
function forward(layers: readonly DenseLayer[], x: ArrayLike<number>, activation: Activation): Float64Array {
  let h: ArrayLike<number> = x;
  layers.forEach((layer, l) => {
    h = dense(layer, h, new Float64Array(layer.out), l + 1 < layers.length ? activation : undefined);
  });
  return h as Float64Array;
}

/** Clearance shortfall² summed along the straight path between two positions, one sample per 6 cm (as the other models). */
function pathPenalty(ax: number, ay: number, bx: number, by: number, map: LocalMap, radius: number): number {
  const n = Math.max(1, Math.ceil(Math.hypot(bx - ax, by - ay) / 0.06));
  let penalty = 0;
  for (let k = 1; k <= n; k++) {
    const u = k / n;
    penalty += Math.max(0, radius - map.clearance(ax + u * (bx - ax), ay + u * (by - ay))) ** 2;
  }
  return penalty;
}
