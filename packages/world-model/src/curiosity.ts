// Curiosity for data collection: the explorer drafts several coloured-noise continuations and follows the one a
// trained ensemble disagrees on most (Plan2Explore-style), so new data lands where the model is unsure.
import * as tf from '@tensorflow/tfjs';
import { ItineraError } from '@itinera/core';
import { WorldModel } from './world-model.js';

export const CURIOSITY = {
  /** Continuations drafted at each decision. */
  candidates: 32,
  /** Control steps each continuation is imagined for. */
  horizon: 10,
  /** Control steps followed before drafting again. */
  commit: 5,
} as const;

export class EnsembleDisagreement {
  private readonly obsSize: number;
  private readonly actSize: number;

  constructor(readonly model: WorldModel, readonly source: string) {
    const members = model.predictors.length;
    if (members < 2) throw new ItineraError(`${source}: curiosity needs an ensemble (network.ensemble ≥ 2 in the training config); this model has ${members} predictor`);
    this.obsSize = model.file.spec.observation.names.length;
    this.actSize = model.file.spec.action.names.length;
  }

  /**
   * Disagreement of each candidate action sequence ([candidates][horizon][act]) from `obs`: the members' one-step
   * predictions from the ensemble-mean latent, their variance averaged over latent dimensions, summed over steps.
   */
  score(obs: ArrayLike<number>, actions: Float32Array, candidates: number, horizon: number): Float64Array {
    if (obs.length !== this.obsSize) throw new ItineraError(`${this.source}: the model expects ${this.obsSize} observation channels, the env gives ${obs.length}`);
    const m = this.model;
    let scores: ArrayLike<number> = [];
    tf.tidy(() => {
      let z = tf.tile(m.encode(m.normaliseObs(tf.tensor2d(m.inModelFrame(Float32Array.from(obs), 1, obs), [1, this.obsSize])), true), [candidates, 1]) as tf.Tensor2D;
      const acts = m.normaliseAct(tf.tensor2d(actions, [candidates * horizon, this.actSize]));
      const perStep = tf.reshape(acts, [candidates, horizon, this.actSize]);
      let total = tf.zeros([candidates]);
      for (let h = 0; h < horizon; h++) {
        const a = tf.reshape(tf.slice(perStep, [0, h, 0], [candidates, 1, this.actSize]), [candidates, this.actSize]) as tf.Tensor2D;
        const next = tf.stack(m.predictors.map((_, k) => m.predictWith(k, z, a, true)));
        const { mean, variance } = tf.moments(next, 0);
        total = tf.add(total, tf.mean(variance, 1));
        z = mean as tf.Tensor2D;
      }
      scores = total.dataSync();
    });
    return Float64Array.from(scores);
  }

  dispose(): void {
    this.model.dispose();
  }
}
