// JEPA: predict the next *representation*. The predictor rolls latents forward through the actions and is scored
// against the target encoder's latents of the real frames; VICReg variance/covariance or an EMA target prevents
// collapse; an optional inverse-dynamics head makes the latent keep what the actions control.
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { defineModel } from './define-model.js';
import { mse, offDiagonalCovariance, rolloutError, varianceHinge } from './losses.js';
import { applyMlp } from './mlp.js';

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
  targetEncoder: (o) => (o.antiCollapse === 'ema' ? { kind: 'ema', decay: o.emaDecay } : { kind: 'online' }),
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
