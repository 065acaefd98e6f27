// The readout phase: with encoder and predictor frozen, their latents (of real frames and of rolled-out
// predictions) are computed once, and the readout head trains on them alone — many cheap steps, so costs in
// metres come out accurate without touching what the world model learned.
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '@itinera/core';
import { mse } from './losses.js';
import type { WindowSampler } from './windows.js';
import type { WorldModel } from './world-model.js';

export class FrozenLatents {
  private constructor(readonly latents: tf.Tensor2D, readonly targets: tf.Tensor2D) {}

  get rows(): number {
    return this.latents.shape[0];
  }

  /** Latents of up to `windows` evenly spread training windows: K + 1 encoded frames and K predictions each. */
  static build(model: WorldModel, sampler: WindowSampler, windows: number, obs: number, act: number): FrozenLatents {
    const k = sampler.k;
    const indices = sampler.spread(windows);
    const chunk = 512;
    const latents: tf.Tensor2D[] = [];
    const targets: tf.Tensor2D[] = [];
    for (let start = 0; start < indices.length; start += chunk) {
      const part = indices.slice(start, start + chunk);
      const n = part.length;
      const obsBuf = new Float32Array((k + 1) * n * obs);
      const actBuf = new Float32Array(k * n * act);
      sampler.fill(undefined, n, obsBuf, actBuf, part);
      const [z, y] = tf.tidy(() => {
        const obsN = model.normaliseObs(tf.tensor2d(obsBuf, [(k + 1) * n, obs]));
        const frames = tf.split(obsN, k + 1, 0) as tf.Tensor2D[];
        const actions = tf.split(model.normaliseAct(tf.tensor2d(actBuf, [k * n, act])), k, 0) as tf.Tensor2D[];
        const encoded = model.encode(obsN, true);
        let zk = tf.slice(encoded, [0, 0], [n, -1]) as tf.Tensor2D;
        const rolled = actions.map((a) => (zk = model.predict(zk, a, true)));
        return [tf.concat([encoded, ...rolled], 0), model.readoutTargets(tf.concat([obsN, ...frames.slice(1)], 0))];
      });
      latents.push(z);
      targets.push(y);
    }
    const frozen = new FrozenLatents(tf.concat(latents, 0), tf.concat(targets, 0));
    for (const t of [...latents, ...targets]) t.dispose();
    return frozen;
  }

  /** Readout loss on `batch` rows drawn by `rng`. */
  loss(model: WorldModel, rng: Rng, batch: number): tf.Scalar {
    const rows = tf.tensor1d(Int32Array.from({ length: batch }, () => rng.int(this.rows)), 'int32');
    return mse(model.readoutNormalised(tf.gather(this.latents, rows)), tf.gather(this.targets, rows));
  }

  dispose(): void {
    this.latents.dispose();
    this.targets.dispose();
  }
}
