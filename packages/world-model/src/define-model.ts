// World-model plug-ins: each kind names its extra networks, where its prediction targets come from, and its loss
// terms; the trainer, save/load, readouts and the latent DynamicsModel are shared, so kinds compare on one flag.
import type * as tf from '@tensorflow/tfjs';
import type { StandardSchemaV1 } from '@itinera/core';
import type { ModelDims, WorldModel } from './world-model.js';

/** One training batch of windows, frame by frame: K + 1 observations and the K actions between them. */
export interface LossBatch {
  model: WorldModel;
  /** Normalised observations, one [batch, obs] tensor per frame. */
  obs: tf.Tensor2D[];
  /** Normalised actions, one [batch, act] tensor per step. */
  actions: tf.Tensor2D[];
  /** Online latents of every frame (gradients flow). */
  latents: tf.Tensor2D[];
  /** Prediction targets of every frame, constants: the encoder before this step or its EMA copy ('none': undefined). */
  targets?: tf.Tensor2D[];
  /** Per predictor, the latents rolled out from frame 0 through the actions: [member][k] predicts frame k + 1. */
  rolled: tf.Tensor2D[][];
}

export type TargetEncoder = { kind: 'none' } | { kind: 'online' } | { kind: 'ema'; decay: number };

export interface ModelDefinition<Options = Record<string, unknown>> {
  readonly name: string;
  readonly description: string;
  readonly schema: StandardSchemaV1<unknown, Options>;
  readonly defaults: Options;
  /** Layer sizes of the networks this kind adds to encoder, predictor(s) and readout. */
  extraNetworks(options: Options, dims: ModelDims): Record<string, number[]>;
  targetEncoder(options: Options): TargetEncoder;
  /** Weighted loss terms (scalars) of one batch; the trainer adds the readout term and sums them. */
  losses(options: Options, batch: LossBatch): Record<string, tf.Scalar>;
}

export function defineModel<Options>(definition: ModelDefinition<Options>): ModelDefinition<Options> {
  return definition;
}
