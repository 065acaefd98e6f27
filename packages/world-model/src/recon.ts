// The generative baseline: same encoder and predictor, but scored by reconstructing the observations through a
// decoder — including every channel it cannot predict.
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { defineModel, noTargets } from './define-model.js';
import { mse, rolloutError } from './losses.js';
import { applyMlp } from './mlp.js';

const reconSchema = z
  .object({
    /** Weight of reconstructing the current frame from its own latent. */
    current: z.number().nonnegative().default(1),
    /** Weight of reconstructing the next frames from the rolled-out latents. */
    next: z.number().nonnegative().default(1),
  })
  .strict();
export type ReconOptions = z.infer<typeof reconSchema>;

export const reconModel = defineModel<ReconOptions>({
  name: 'recon',
  description: 'Reconstruction baseline: a decoder rebuilds the current and the predicted next observations.',
  schema: reconSchema,
  defaults: reconSchema.parse({}),
  extraNetworks: (_o, d) => ({ decoder: [d.latent, ...Array.from({ length: d.layers }, () => d.hidden), d.obs] }),
  trainingState: () => noTargets,
  losses(o, b) {
    const decode = (z: tf.Tensor2D) => applyMlp(b.model.networks.decoder, z, b.model.activation);
    return {
      current: tf.mul(o.current, mse(decode(b.latents[0]), b.obs[0])),
      next: tf.mul(o.next, rolloutError(b.rolled, (k) => b.obs[k], decode)),
    };
  },
});
