// World-model plug-ins: each kind names its extra networks, owns its training-time state (where its prediction
// targets come from, e.g. an EMA encoder) and its loss terms; the trainer, save/load, readouts and the latent
// DynamicsModel are shared, so kinds compare on one flag.
import type * as tf from '@tensorflow/tfjs';
import type { StandardSchemaV1 } from '@itinera/core';
import { stopGradient } from './losses.js';
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

/** What a kind keeps alongside the model while it trains; the trainer checkpoints `variables` and disposes it. */
export interface TrainingState {
  /** Variables a checkpoint must hold besides the model's weights and the optimiser's moments (stable order). */
  readonly variables: tf.Variable[];
  /** Prediction targets, constants, of the normalised frames `obs` whose online latents are `latents` (undefined: none). */
  targets(obs: tf.Tensor2D, latents: tf.Tensor2D): tf.Tensor2D | undefined;
  /** Called after every world-model step (not during the readout phase). */
  afterWorldStep(): void;
  dispose(): void;
}

/** No prediction targets (the kind scores something else, e.g. reconstructions). */
export const noTargets: TrainingState = { variables: [], targets: () => undefined, afterWorldStep() {}, dispose() {} };

/** Targets are the online encoder's latents behind a stop-gradient. */
export const onlineTargets: TrainingState = { variables: [], targets: (_obs, latents) => stopGradient(latents), afterWorldStep() {}, dispose() {} };

export interface ModelDefinition<Options = Record<string, unknown>> {
  readonly name: string;
  readonly description: string;
  readonly schema: StandardSchemaV1<unknown, Options>;
  readonly defaults: Options;
  /** Layer sizes of the networks this kind adds to encoder, predictor(s) and readout. */
  extraNetworks(options: Options, dims: ModelDims): Record<string, number[]>;
  /** The state this kind trains with, created once per run after the model (whose weights it may copy). */
  trainingState(options: Options, model: WorldModel): TrainingState;
  /** Weighted loss terms (scalars) of one batch; the trainer adds the readout term and sums them. */
  losses(options: Options, batch: LossBatch): Record<string, tf.Scalar>;
}

export function defineModel<Options>(definition: ModelDefinition<Options>): ModelDefinition<Options> {
  return definition;
}
