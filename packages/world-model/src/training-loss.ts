// A model kind's training objective on one batch of windows: the kind's own loss terms and the readout's. Training
// minimises it; online adaptation with fit 'model' keeps minimising it on what the robot meets.
import * as tf from '@tensorflow/tfjs';
import type { LossBatch, ModelDefinition, TrainingState } from './define-model.js';
import { concatRows, mse, splitRows, stopGradient } from './losses.js';
import type { WorldModel } from './world-model.js';

export interface TrainingObjective {
  definition: ModelDefinition<any>;
  /** The kind's options (model.json's `options`). */
  options: Record<string, unknown>;
  state: TrainingState;
  /** Weight of the readout's gradient into the latents (training.readoutShaping; 0: readouts learn on frozen latents). */
  readoutShaping: number;
}

/** Loss terms (a scalar tensor each) of `n` windows of `k` steps, frame-major; the readout term is on latents with gradients stopped. */
export function trainingLossTerms(objective: TrainingObjective, model: WorldModel, obsData: Float32Array, actData: Float32Array, n: number, k: number): Record<string, tf.Scalar> {
  const obs = model.file.spec.observation.names.length;
  const act = model.file.spec.action.names.length;
  const obsN = model.normaliseObs(tf.tensor2d(obsData, [(k + 1) * n, obs]));
  const actN = model.normaliseAct(tf.tensor2d(actData, [k * n, act]));
  const frames = splitRows(obsN, k + 1);
  const actions = splitRows(actN, k);
  const all = model.encode(obsN);
  const latents = splitRows(all, k + 1);
  // Targets carry no gradient; the kind's training state says what they are.
  const targetRows = objective.state.targets(obsN, all);
  const targets = targetRows && splitRows(targetRows, k + 1);
  const rolled = model.predictors.map((_, m) => {
    let z = latents[0];
    return actions.map((a) => (z = model.predictWith(m, z, a)));
  });
  const lossBatch: LossBatch = { model, obs: frames, actions, latents, targets, rolled };
  const terms = objective.definition.losses(objective.options, lossBatch);
  // Readouts learn on frozen latents: of real frames and of the rolled-out predictions planning will decode.
  let planned = rolled[0];
  if (model.predictors.length > 1) {
    let z = latents[0];
    planned = actions.map((a) => (z = model.predict(z, a)));
  }
  const decoded = concatRows([all, ...planned]);
  const readoutTargets = model.readoutTargets(concatRows([obsN, ...frames.slice(1)]));
  terms.readout = mse(model.readoutNormalised(stopGradient(decoded)), readoutTargets);
  if (objective.readoutShaping > 0) terms.shaping = tf.mul(objective.readoutShaping, mse(model.readoutNormalised(decoded), readoutTargets)) as tf.Scalar;
  return terms;
}
