// Training windows: K + 1 consecutive observations of one episode and the K actions between them.
import { Rng } from '@itinera/core';
import type { BaseFrame } from './base-frame.js';
import type { Episode } from './dataset.js';

export class WindowSampler {
  /** (episode, start) of every window that fits inside its episode. */
  private readonly starts: Int32Array;
  readonly count: number;

  /** `frame`: windows seen from the base pose of their first observation (`network.frame: start`). */
  constructor(
    private readonly episodes: Episode[],
    readonly k: number,
    private readonly obs: number,
    private readonly act: number,
    private readonly frame?: BaseFrame,
  ) {
    const pairs: number[] = [];
    episodes.forEach((e, i) => {
      for (let t = 0; t + k <= e.steps; t++) pairs.push(i, t);
    });
    this.starts = Int32Array.from(pairs);
    this.count = pairs.length / 2;
  }

  /**
   * Fills frame-major buffers: observations [(k + 1) × batch][obs] (frame f of sample b at row f·batch + b), actions
   * [k × batch][act]. Window choice depends only on `rng`, so a resumed run draws the same batches.
   */
  fill(rng: Rng | undefined, batch: number, obsOut: Float32Array, actOut: Float32Array, indices?: number[]): void {
    for (let b = 0; b < batch; b++) {
      const w = indices ? indices[b % indices.length] : rng!.int(this.count);
      const e = this.episodes[this.starts[2 * w]];
      const t = this.starts[2 * w + 1];
      for (let f = 0; f <= this.k; f++) obsOut.set(e.observations.subarray((t + f) * this.obs, (t + f + 1) * this.obs), (f * batch + b) * this.obs);
      for (let f = 0; f < this.k; f++) actOut.set(e.actions.subarray((t + f) * this.act, (t + f + 1) * this.act), (f * batch + b) * this.act);
      if (this.frame) {
        const pose = this.frame.poseOf(obsOut, b * this.obs);
        for (let f = 0; f <= this.k; f++) this.frame.transform(obsOut, (f * batch + b) * this.obs, pose, false);
      }
    }
  }

  /** Per-channel mean and std over the frames of `n` evenly spread windows, as the networks see them. */
  stats(n: number): { obsMean: number[]; obsStd: number[] } {
    const indices = this.spread(n);
    const obs = new Float32Array((this.k + 1) * indices.length * this.obs);
    this.fill(undefined, indices.length, obs, new Float32Array(this.k * indices.length * this.act), indices);
    return channelStats(obs, this.obs);
  }

  /** Evenly spread window indices: a fixed validation set. */
  spread(n: number): number[] {
    const m = Math.min(n, this.count);
    return Array.from({ length: m }, (_, i) => Math.floor((i * this.count) / m));
  }
}

/** Per-channel mean and std over every observation; constant channels get std 1 so they normalise to 0. */
export function observationStats(episodes: Episode[], obs: number): { obsMean: number[]; obsStd: number[] } {
  const rows = new Float32Array(episodes.reduce((n, e) => n + e.observations.length, 0));
  let o = 0;
  for (const e of episodes) {
    rows.set(e.observations, o);
    o += e.observations.length;
  }
  return channelStats(rows, obs);
}

function channelStats(rows: Float32Array, obs: number): { obsMean: number[]; obsStd: number[] } {
  const sum = new Float64Array(obs);
  const sq = new Float64Array(obs);
  const n = rows.length / obs;
  for (let r = 0; r < rows.length; r += obs) {
    for (let c = 0; c < obs; c++) {
      const v = rows[r + c];
      sum[c] += v;
      sq[c] += v * v;
    }
  }
  const obsMean = Array.from(sum, (s) => s / Math.max(1, n));
  const obsStd = Array.from(sq, (s, c) => {
    const std = Math.sqrt(Math.max(0, s / Math.max(1, n) - obsMean[c] ** 2));
    return std > 1e-6 ? std : 1;
  });
  return { obsMean, obsStd };
}

/** Holds out the last `fraction` of episodes (at least one when there are two or more). */
export function splitEpisodes(episodes: Episode[], fraction: number): { train: Episode[]; validation: Episode[] } {
  const held = fraction > 0 && episodes.length > 1 ? Math.max(1, Math.round(episodes.length * fraction)) : 0;
  return { train: episodes.slice(0, episodes.length - held), validation: episodes.slice(episodes.length - held) };
}
