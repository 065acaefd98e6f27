// A trained world model as a DynamicsModel: encode the start observation once, roll the predictor through every
// action sequence on batched tensors, decode readouts and charge the latent cost — all inside tf.tidy. The same
// graph without fused kernels gives the cost's gradient by the actions, for the gradient planner.
import * as tf from '@tensorflow/tfjs';
import { ItineraError, snapshotObservation, type CostGradient, type DifferentiableModel, type OneStepSurprise, type RolloutResult } from '@itinera/core';
import { surpriseSchema } from './config.js';
import { LatentCost } from './latent-cost.js';
import { WorldModel } from './world-model.js';

// What every learned DynamicsModel shares (this one on tfjs, OnnxLatentModel on onnxruntime): the start check, the
// action layout, readout anchoring and the cost layout.

/** The start observation as Float32, checked against the model's observation size. */
export function startObservation(start: unknown, obsSize: number): Float32Array {
  const obs = snapshotObservation(start);
  if (!obs) throw new ItineraError('a learned model rolls out from an observation: pass a snapshot that carries one (observedSnapshots) or the observation itself');
  if (obs.length !== obsSize) throw new ItineraError(`the model expects ${obsSize} observation channels, the env gives ${obs.length} (was it trained on other scenario options?)`);
  return Float32Array.from(obs);
}

/** Actions [batch][horizon][act] reordered step-major, [horizon × batch][act], so each step is one row block. */
export function stepMajor(actions: Float64Array, batch: number, horizon: number, actSize: number): Float32Array {
  const a = actSize;
  if (actions.length !== batch * horizon * a) throw new ItineraError(`rollout: expected ${batch * horizon * a} action values, got ${actions.length}`);
  const out = new Float32Array(actions.length);
  for (let b = 0; b < batch; b++) for (let h = 0; h < horizon; h++) for (let i = 0; i < a; i++) out[(h * batch + b) * a + i] = actions[(b * horizon + h) * a + i];
  return out;
}

/** Per-step values [horizon × batch] (step-major) reordered sample-major, [batch][horizon]. */
export function toSampleMajor(stepMajor: ArrayLike<number>, batch: number, horizon: number): Float64Array {
  const out = new Float64Array(batch * horizon);
  for (let h = 0; h < horizon; h++) for (let b = 0; b < batch; b++) out[b * horizon + h] = stepMajor[h * batch + b];
  return out;
}

/** Decoded readouts shifted by (observed − decoded) at the start state (`planning.anchorReadouts`); `decodedAtStart` is [1, readouts]. */
export function anchorToObservation(model: WorldModel, obs: Float32Array, readouts: tf.Tensor2D, decodedAtStart: tf.Tensor2D): tf.Tensor2D {
  const observed = tf.tensor2d(Float32Array.from(model.readoutOfObservations(obs, 1)), [1, model.readoutIndex.length]);
  return tf.add(readouts, tf.sub(observed, decodedAtStart));
}

/** Config-cost models (this one, OnnxLatentModel) cannot plan a base-frame model: its readouts need its task's cost. */
export function refuseBaseFrame(model: WorldModel): void {
  if (model.frames) throw new ItineraError('this model sees the world from its base (network.frame: start): it plans on its task\'s cost (TaskCostLatentModel), not on config cost terms');
}

/** Whether a model anchors its readouts when the caller does not say: its config's `planning.anchorReadouts` (older models: on). */
export function defaultAnchoring(model: WorldModel): boolean {
  return model.file.config.planning?.anchorReadouts ?? true;
}

/**
 * A model's level-0 surprise (its config's `planning.surprise`; older models: the defaults): the RMS over latent
 * dimensions of its prediction from `previous` under `action` less its encoding of `observed`. On tfjs: one step.
 */
export function latentSurprise(model: WorldModel): OneStepSurprise {
  const error = (previous: Float64Array, applied: Float64Array, observed: Float64Array): number =>
    tf.tidy(() => Math.sqrt(tf.mean(tf.square(oneStepLatentError(model, previous, applied, observed))).dataSync()[0]));
  return { ...(model.file.config.planning?.surprise ?? surpriseSchema.parse({})), error };
}

/** Inside tf.tidy: the encoding of `observed` less the model's prediction from `previous` under `applied`, [1, latent]. */
export function oneStepLatentError(model: WorldModel, previous: ArrayLike<number>, applied: ArrayLike<number>, observed: ArrayLike<number>): tf.Tensor2D {
  const { observation, action } = model.file.spec;
  const [obsSize, actSize] = [observation.names.length, action.names.length];
  const obs = new Float32Array(2 * obsSize);
  obs.set(previous);
  obs.set(observed, obsSize);
  const seen = model.inModelFrame(obs, 2, previous);
  const [z0, z1] = tf.split(model.encode(model.normaliseObs(tf.tensor2d(seen, [2, obsSize])), true), 2, 0) as tf.Tensor2D[];
  return tf.sub(z1, model.predict(z0, model.normaliseAct(tf.tensor2d(Float32Array.from(applied), [1, actSize])), true));
}

export class LatentDynamicsModel implements DifferentiableModel<unknown> {
  readonly kind = 'learned' as const;
  readonly differentiable = true as const;
  readonly cost: LatentCost;
  readonly surprise: OneStepSurprise;
  private readonly obsSize: number;
  private readonly actSize: number;
  /** Control steps imagined since creation (for throughput reports). */
  simulatedSteps = 0;

  /** `anchorReadouts`: see the training config's `planning.anchorReadouts` (its default when omitted; older models: on). */
  constructor(readonly model: WorldModel, readonly anchorReadouts = defaultAnchoring(model)) {
    const { spec, config, readouts } = model.file;
    refuseBaseFrame(model);
    this.obsSize = spec.observation.names.length;
    this.actSize = spec.action.names.length;
    this.cost = new LatentCost(config.cost, readouts, spec.observation.names);
    this.surprise = latentSurprise(model);
  }

  static load(dir: string, anchorReadouts?: boolean): LatentDynamicsModel {
    return new LatentDynamicsModel(WorldModel.load(dir), anchorReadouts);
  }

  /** Costs [horizon × batch] (step-major) of the rolled-out actions; `fused` for inference. */
  private costs(obs: Float32Array, actions: tf.Tensor2D, batch: number, horizon: number, fused: boolean): tf.Tensor1D {
    const m = this.model;
    const z0 = m.encode(m.normaliseObs(tf.tensor2d(obs, [1, this.obsSize])), fused);
    let z = tf.tile(z0, [batch, 1]) as tf.Tensor2D;
    const actN = m.normaliseAct(actions);
    const steps = tf.split(actN, horizon, 0) as tf.Tensor2D[];
    const latents = steps.map((a) => (z = m.predict(z, a, fused)));
    // Readouts and costs of all steps in one go: fewer, larger kernels.
    let readouts = m.readout(tf.concat(latents, 0), fused);
    if (this.anchorReadouts) readouts = anchorToObservation(m, obs, readouts, m.readout(z0, fused));
    return this.cost.apply(readouts, actN);
  }

  rollout(start: unknown, actions: Float64Array, batch: number, horizon: number): RolloutResult {
    const obs = startObservation(start, this.obsSize);
    const flat = stepMajor(actions, batch, horizon, this.actSize);
    let costs: ArrayLike<number> = [];
    tf.tidy(() => {
      costs = this.costs(obs, tf.tensor2d(flat, [horizon * batch, this.actSize]), batch, horizon, true).dataSync();
    });
    this.simulatedSteps += batch * horizon;
    return { costs: toSampleMajor(costs, batch, horizon) };
  }

  costGradient(start: unknown, actions: Float64Array, batch: number, horizon: number): CostGradient {
    const obs = startObservation(start, this.obsSize);
    const flat = stepMajor(actions, batch, horizon, this.actSize);
    const a = this.actSize;
    let costs: ArrayLike<number> = [];
    let grad: ArrayLike<number> = [];
    tf.tidy(() => {
      let perStep: tf.Tensor1D | undefined;
      const result = tf.valueAndGrad((x: tf.Tensor) => {
        perStep = tf.keep(this.costs(obs, x as tf.Tensor2D, batch, horizon, false));
        // Samples are independent, so the gradient of the sum is each sample's own gradient.
        return tf.sum(perStep) as tf.Scalar;
      })(tf.tensor2d(flat, [horizon * batch, a]));
      costs = perStep!.dataSync();
      grad = result.grad.dataSync();
      perStep!.dispose();
    });
    this.simulatedSteps += batch * horizon;
    const perSample = toSampleMajor(costs, batch, horizon);
    const totals = new Float64Array(batch);
    for (let b = 0; b < batch; b++) for (let h = 0; h < horizon; h++) totals[b] += perSample[b * horizon + h];
    const gradient = new Float64Array(actions.length);
    for (let b = 0; b < batch; b++) for (let h = 0; h < horizon; h++) for (let i = 0; i < a; i++) gradient[(b * horizon + h) * a + i] = grad[(h * batch + b) * a + i];
    return { costs: totals, gradient };
  }

  free(): void {
    this.cost.dispose();
    this.model.dispose();
  }
}

/** Why a trained model cannot plan for this env, or undefined when it fits. */
export function modelMismatch(model: { model: WorldModel }, env: { id: string; robotName: string; observationSpec: { names: string[] }; actionSpec: { names: string[] } }): string | undefined {
  const spec = model.model.file.spec;
  if (spec.scenario !== env.id) return `it was trained on ${spec.scenario}, the run is ${env.id}`;
  if (spec.robot !== env.robotName) return `it was trained for robot ${spec.robot}, the run uses ${env.robotName}`;
  if (spec.observation.names.join() !== env.observationSpec.names.join()) {
    return `its ${spec.observation.names.length} observation channels differ from the env's ${env.observationSpec.names.length} (scenario options such as distractors must match the data's: ${JSON.stringify(spec.scenarioOptions)})`;
  }
  if (spec.action.names.join() !== env.actionSpec.names.join()) return 'its action channels differ from the robot\'s actuators';
  return undefined;
}
