// A trained world model as a DynamicsModel: encode the start observation once, roll the predictor through every
// action sequence on batched tensors, decode readouts and charge the latent cost — all inside tf.tidy. The same
// graph without fused kernels gives the cost's gradient by the actions, for the gradient planner.
import * as tf from '@tensorflow/tfjs';
import { ItineraError, snapshotObservation, type CostGradient, type DifferentiableModel, type RolloutResult } from '@itinera/core';
import { LatentCost } from './latent-cost.js';
import { WorldModel } from './world-model.js';

export class LatentDynamicsModel implements DifferentiableModel<unknown> {
  readonly kind = 'learned' as const;
  readonly differentiable = true as const;
  readonly cost: LatentCost;
  private readonly obsSize: number;
  private readonly actSize: number;
  /** Control steps imagined since creation (for throughput reports). */
  simulatedSteps = 0;

  /**
   * `anchorReadouts`: decoded channels are shifted by (observed − decoded) at the start state, so a readout's local
   * bias cancels out of the cost (offset-free MPC); the readout channels are observation channels, so this is exact
   * at the start and keeps the planner from settling a few centimetres off target.
   */
  constructor(readonly model: WorldModel, readonly anchorReadouts = false) {
    const { spec, config, readouts } = model.file;
    this.obsSize = spec.observation.names.length;
    this.actSize = spec.action.names.length;
    this.cost = new LatentCost(config.cost, readouts, spec.observation.names);
  }

  static load(dir: string, anchorReadouts = false): LatentDynamicsModel {
    return new LatentDynamicsModel(WorldModel.load(dir), anchorReadouts);
  }

  private startObservation(start: unknown): Float32Array {
    const obs = snapshotObservation(start);
    if (!obs) throw new ItineraError('a learned model rolls out from an observation: pass a snapshot that carries one (observedSnapshots) or the observation itself');
    if (obs.length !== this.obsSize) throw new ItineraError(`the model expects ${this.obsSize} observation channels, the env gives ${obs.length} (was it trained on other scenario options?)`);
    return Float32Array.from(obs);
  }

  /** Actions [batch][horizon][act] reordered step-major, [horizon × batch][act], so each step is one row block. */
  private stepMajor(actions: Float64Array, batch: number, horizon: number): Float32Array {
    const a = this.actSize;
    if (actions.length !== batch * horizon * a) throw new ItineraError(`rollout: expected ${batch * horizon * a} action values, got ${actions.length}`);
    const out = new Float32Array(actions.length);
    for (let b = 0; b < batch; b++) for (let h = 0; h < horizon; h++) for (let i = 0; i < a; i++) out[(h * batch + b) * a + i] = actions[(b * horizon + h) * a + i];
    return out;
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
    if (this.anchorReadouts) {
      const observed = tf.tensor2d(Float32Array.from(m.readoutOfObservations(obs, 1)), [1, m.readoutIndex.length]);
      readouts = tf.add(readouts, tf.sub(observed, m.readout(z0, fused)));
    }
    return this.cost.apply(readouts, actN);
  }

  private toSampleMajor(stepMajor: ArrayLike<number>, batch: number, horizon: number): Float64Array {
    const out = new Float64Array(batch * horizon);
    for (let h = 0; h < horizon; h++) for (let b = 0; b < batch; b++) out[b * horizon + h] = stepMajor[h * batch + b];
    return out;
  }

  rollout(start: unknown, actions: Float64Array, batch: number, horizon: number): RolloutResult {
    const obs = this.startObservation(start);
    const flat = this.stepMajor(actions, batch, horizon);
    let costs: ArrayLike<number> = [];
    tf.tidy(() => {
      costs = this.costs(obs, tf.tensor2d(flat, [horizon * batch, this.actSize]), batch, horizon, true).dataSync();
    });
    this.simulatedSteps += batch * horizon;
    return { costs: this.toSampleMajor(costs, batch, horizon) };
  }

  costGradient(start: unknown, actions: Float64Array, batch: number, horizon: number): CostGradient {
    const obs = this.startObservation(start);
    const flat = this.stepMajor(actions, batch, horizon);
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
    const perSample = this.toSampleMajor(costs, batch, horizon);
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
export function modelMismatch(model: LatentDynamicsModel, env: { id: string; robotName: string; observationSpec: { names: string[] }; actionSpec: { names: string[] } }): string | undefined {
  const spec = model.model.file.spec;
  if (spec.scenario !== env.id) return `it was trained on ${spec.scenario}, the run is ${env.id}`;
  if (spec.robot !== env.robotName) return `it was trained for robot ${spec.robot}, the run uses ${env.robotName}`;
  if (spec.observation.names.join() !== env.observationSpec.names.join()) {
    return `its ${spec.observation.names.length} observation channels differ from the env's ${env.observationSpec.names.length} (scenario options such as distractors must match the data's: ${JSON.stringify(spec.scenarioOptions)})`;
  }
  if (spec.action.names.join() !== env.actionSpec.names.join()) return 'its action channels differ from the robot\'s actuators';
  return undefined;
}
