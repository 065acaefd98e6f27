// JEPA: predict the next *representation*. The predictor rolls latents forward through the actions and is scored
// against the target encoder's latents of the real frames; VICReg variance/covariance or an EMA target prevents
// collapse; an optional inverse-dynamics head makes the latent keep what the actions control.
import * as tf from '@tensorflow/tfjs';
import { Rng } from '@itinera/core';
import { z } from 'zod';
import { defineModel, onlineTargets, type TrainingState } from './define-model.js';
import { mse, offDiagonalCovariance, rolloutError, varianceHinge } from './losses.js';
import { applyMlp, createMlp, mlpVariables } from './mlp.js';
import type { WorldModel } from './world-model.js';

const jepaSchema = z
  .object({
    /** 'vicreg': targets are the online encoder's latents (no gradient) plus variance/covariance terms; 'ema': a slowly moving copy. */
    antiCollapse: z.enum(['vicreg', 'ema']).default('vicreg'),
    emaDecay: z.number().min(0).max(1).default(0.99),
    prediction: z.number().nonnegative().default(1),
    variance: z.number().nonnegative().default(1),
    covariance: z.number().nonnegative().default(0.04),
    /** Weight of the inverse-dynamics term (0: off). */
    inverseDynamics: z.number().nonnegative().default(0),
  })
  .strict();
export type JepaOptions = z.infer<typeof jepaSchema>;

export const jepaModel = defineModel<JepaOptions>({
  name: 'jepa',
  description: 'Joint-embedding predictive architecture: predicts latents of future frames (VICReg or EMA against collapse).',
  schema: jepaSchema,
  defaults: jepaSchema.parse({}),
  extraNetworks: (o, d): Record<string, number[]> => (o.inverseDynamics > 0 ? { inverse: [2 * d.latent, d.hidden, d.act] } : {}),
  trainingState: (o, model) => (o.antiCollapse === 'ema' ? emaTargets(model, o.emaDecay) : onlineTargets),
  losses(o, b) {
    const targets = b.targets!;
    const terms: Record<string, tf.Scalar> = { prediction: tf.mul(o.prediction, rolloutError(b.rolled, (k) => targets[k])) };
    if (o.variance > 0 || o.covariance > 0) {
      const all = tf.concat(b.latents, 0) as tf.Tensor2D;
      if (o.variance > 0) terms.variance = tf.mul(o.variance, varianceHinge(all));
      if (o.covariance > 0) terms.covariance = tf.mul(o.covariance, offDiagonalCovariance(all));
    }
    if (o.inverseDynamics > 0) {
      const inverse = b.model.networks.inverse;
      const predicted = b.actions.map((_, k) => applyMlp(inverse, tf.concat([b.latents[k], b.latents[k + 1]], 1), b.model.activation));
      terms.inverse = tf.mul(o.inverseDynamics, mse(tf.concat(predicted, 0), tf.concat(b.actions, 0)));
    }
    return terms;
  },
});

/** Targets from a slowly moving copy of the encoder: after each world-model step, copy ← decay · copy + (1 − decay) · encoder. */
function emaTargets(model: WorldModel, decay: number): TrainingState {
  const encoder = model.networks.encoder;
  // The initial values are overwritten at once: the copy starts equal to the encoder.
  const ema = createMlp(model.file.networks.encoder, new Rng(0));
  ema.forEach((layer, l) => {
    layer.w.assign(encoder[l].w);
    layer.b.assign(encoder[l].b);
  });
  const variables = mlpVariables(ema);
  return {
    variables,
    targets: (obs) => applyMlp(ema, obs, model.activation),
    afterWorldStep() {
      tf.tidy(() => ema.forEach((layer, l) => {
        layer.w.assign(tf.add(tf.mul(layer.w, decay), tf.mul(encoder[l].w, 1 - decay)));
        layer.b.assign(tf.add(tf.mul(layer.b, decay), tf.mul(encoder[l].b, 1 - decay)));
      }));
    },
    dispose() {
      for (const v of variables) v.dispose();
    },
  };
}
