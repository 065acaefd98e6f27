// Online correction of a world model where it turns out wrong: each control step's transition is scored by the
// model's one-step latent error (surprise); the windows ending at every step (or, gated, at surprising ones) enter a
// replay buffer, and between plans (every `every` steps) and after each episode the model takes a few Adam steps on
// that buffer mixed with windows of the original training data (against forgetting). By default (fit 'model') the
// steps are training's own, on every weight: encoder, predictor(s) and the readout, which decodes the predictor's
// rollouts and so must follow it. Narrower fits: the predictor(s) alone on k-step latent rollouts (fit 'predictor'), or
// only a linear map on the actions they see (fit 'action-map': identifies a weak motor). Optionally a latent
// disturbance estimate (offset-free MPC) follows the one-step error between updates.
import * as tf from '@tensorflow/tfjs';
import { ItineraError, Rng } from '@itinera/core';
import { z } from 'zod';
import { Adam } from './adam.js';
import type { Episode } from './dataset.js';
import { oneStepLatentError } from './latent-model.js';
import { mse, splitRows } from './losses.js';
import { builtinModels } from './models.js';
import { trainingLossTerms, type TrainingObjective } from './training-loss.js';
import { WindowSampler } from './windows.js';
import type { WorldModel } from './world-model.js';

export const adaptOptionsSchema = z
  .object({
    gate: z.enum(['surprise', 'all']).default('all').describe("Which steps enter the replay buffer: 'all' (every step; on reach-v1 it beat surprise-gating at equal gradient steps) or 'surprise' (error above threshold)."),
    threshold: z.number().min(0).optional().describe("Surprise (latent RMS one-step error) above which a step enters the buffer; unset: the model's planning.surprise.threshold."),
    window: z.number().int().min(1).max(50).optional().describe("Control steps of each buffered window: the model learns k-step rollouts of this length; unset: the model's training.rolloutSteps with fit 'model', 10 otherwise."),
    every: z.number().int().min(0).default(10).describe('Control steps between updates during an episode (between plans); 0: only after episodes.'),
    steps: z.number().int().min(0).max(1000).optional().describe("Gradient steps of each update during an episode; unset: with fit 'model' 2 ÷ the ensemble's members, at least 1 (a step costs ~3× a predictor step and grows with the members: more made the default commute episode slower than real time), 4 otherwise."),
    episodeSteps: z.number().int().min(0).max(10000).default(50).describe('Gradient steps after each episode.'),
    batch: z.number().int().min(1).max(4096).optional().describe("Windows per gradient step; unset: 16 with fit 'model', 32 otherwise."),
    replay: z.number().min(0).max(0.95).default(0.1).describe('Share of each batch drawn from the original training data (against forgetting; under a global shift it pulls back toward the old dynamics, so keep it small); needs its data.'),
    buffer: z.number().int().min(1).max(1_000_000).default(2000).describe('Windows the replay buffer keeps (oldest dropped first).'),
    learningRate: z.number().positive().max(1).optional().describe("Adam's learning rate for what `fit` changes; unset: 0.0003 with fit 'model' (a third of reach's training rate: 69/80 payload seeds against 66/80 at 0.001, unshifted 39/40 both), 0.001 for the predictor, 0.03 for the action map (a handful of values that must travel from 1 to, say, a weak motor's 0.3)."),
    seed: z.number().int().min(0).default(0).describe('Seeds which windows each batch draws.'),
    offset: z.number().min(0).max(1).default(0).describe("Rate of the latent disturbance estimate (offset-free MPC): each step moves it this share toward the one-step latent error, and every imagined step adds it; 0: off. Carries across episodes; not saved by --adapt-save. Pair it with fit 'action-map': beside predictor updates it ran away (reach payload 1/40 vs 28/40)."),
    loss: z.enum(['latent', 'readout']).default('latent').describe("With fit 'predictor' or 'action-map', what the k-step rollouts are fitted to: the encoder's latents of what happened ('latent') or the readout channels the cost reads ('readout'); fit 'model' fits training's own objective."),
    explore: z.number().min(1).max(10).default(1).describe("Largest factor on the planner's exploration noise while the model is surprised: it rises from 1 as the running surprise (an exponential mean, 20 steps) goes from a fifth of the threshold to four fifths of it; 1: off. With no gradient steps this adapts the planning alone."),
    fit: z.enum(['predictor', 'action-map', 'model']).default('model').describe("What the gradient steps change: 'model' (every weight, on the model kind's own training objective, as if training went on where the robot is; on reach-v1's payload 101 of 120 seeds against 67 unadapted), 'predictor' (every weight of the predictor(s), encoder and readout frozen: the readout was fitted to the trained predictor's rollouts, so it misreads the moved one) or 'action-map' (a linear map, actuators × actuators from the identity, on the actions the predictors see: a payload or a weak motor changes how the robot answers its torques; --adapt-save folds it into the predictors)."),
  })
  .strict();
export type AdaptOptions = z.infer<typeof adaptOptionsSchema>;

/** The settings `fit` implies where the options leave them unset (the schema's descriptions say why). */
function fitDefaults(fit: AdaptOptions['fit'], model: WorldModel): { window: number; steps: number; batch: number; learningRate: number } {
  if (fit !== 'model') return { window: 10, steps: 4, batch: 32, learningRate: fit === 'action-map' ? 0.03 : 0.001 };
  // Each ensemble member adds a rollout to every step: dividing the steps keeps adaptation's share of the CPU per model.
  return { window: model.config.training.rolloutSteps, steps: Math.max(1, Math.round(2 / model.predictors.length)), batch: 16, learningRate: 0.0003 };
}

/** What adaptation did during one episode. */
export interface AdaptationReport {
  /** Mean one-step surprise over the episode's steps, 3 significant digits (NaN before any step). */
  meanSurprise: number;
  /** Steps whose window entered the buffer. */
  buffered: number;
  /** Gradient steps taken during and right after the episode. */
  steps: number;
  /** Whole CPU milliseconds (process.cpuUsage, user + system) those steps took. */
  cpuMs: number;
  /** With fit 'action-map': the fitted map's rows after the episode, 3 significant digits. */
  actionMap?: number[][];
}

/** What one control step did to the adaptation. */
export interface TransitionOutcome {
  /** The model's one-step latent error on it (RMS), before any update. */
  surprise: number;
  /** Gradient steps of the update taken right after it (0: none was due, or the buffer was empty). */
  gradientSteps: number;
}

export class OnlineAdaptation {
  readonly options: AdaptOptions;
  private readonly threshold: number;
  /** Control steps of each buffered window, gradient steps of each update during an episode, windows per gradient step (their defaults depend on `fit`). */
  private readonly window: number;
  private readonly steps: number;
  private readonly batch: number;
  private readonly obsSize: number;
  private readonly actSize: number;
  private readonly vars: tf.Variable[];
  /** With fit 'model': the kind's training objective and its state. */
  private readonly objective?: TrainingObjective;
  private readonly adam: Adam;
  private readonly rng: Rng;
  private readonly anchor?: WindowSampler;
  /** Ring buffer of windows: observations [(k + 1)][obs] and actions [k][act] each. */
  private readonly bufferObs: Float32Array[] = [];
  private readonly bufferAct: Float32Array[] = [];
  private next = 0;
  /** The current episode's last k + 1 observations and k actions (oldest first). */
  private recentObs: Float32Array[] = [];
  private recentAct: Float32Array[] = [];
  private sinceUpdate = 0;
  private episode = { surprise: 0, count: 0, buffered: 0, steps: 0, cpuMs: 0 };
  /** The latent disturbance estimate the model adds to each predicted step (options.offset > 0). */
  private readonly disturbance: Float32Array;
  /** Exponential mean of the one-step surprise over the run (undefined before the first step). */
  private runningSurprise?: number;
  /** Gradient steps over the whole run. */
  totalSteps = 0;

  /** `data`: episodes of the model's training data, for the replay share (required when replay > 0). */
  constructor(readonly model: WorldModel, options: Partial<AdaptOptions> = {}, data?: Episode[]) {
    this.options = adaptOptionsSchema.parse(options);
    const { spec, config } = model.file;
    this.threshold = this.options.threshold ?? config.planning?.surprise?.threshold ?? 0.5;
    const { fit } = this.options;
    const defaults = fitDefaults(fit, model);
    this.window = this.options.window ?? defaults.window;
    this.steps = this.options.steps ?? defaults.steps;
    this.batch = this.options.batch ?? defaults.batch;
    this.obsSize = spec.observation.names.length;
    this.actSize = spec.action.names.length;
    if (this.options.replay > 0) {
      if (!data || data.length === 0) throw new ItineraError('--adapt: the replay share needs the model\'s training data (--adapt-data DIR), or set --adapt-opt replay=0');
      this.anchor = new WindowSampler(data, this.window, this.obsSize, this.actSize, model.frames?.observation);
      if (this.anchor.count === 0) throw new ItineraError(`--adapt-data: no episode is longer than the adaptation window (${this.window} steps)`);
    }
    if (fit === 'model') {
      const definition = builtinModels().get(model.file.kind);
      this.objective = { definition, options: model.file.options, state: definition.trainingState(model.file.options, model), readoutShaping: config.training.readoutShaping };
    }
    this.vars =
      fit === 'model'
        ? model.variables()
        : fit === 'action-map'
          ? [model.actionMapVariable()]
          : model.predictors.flatMap((_, m) => model.namedVariables().filter(([name]) => name.startsWith(`predictor.${m}.`)).map(([, v]) => v));
    this.adam = new Adam(this.vars, this.options.learningRate ?? defaults.learningRate);
    this.rng = new Rng(this.options.seed).fork('adaptation');
    this.disturbance = new Float32Array(model.latentSize);
  }

  /** Starts an episode: windows never straddle two. */
  startEpisode(): void {
    this.recentObs = [];
    this.recentAct = [];
    this.sinceUpdate = 0;
    this.episode = { surprise: 0, count: 0, buffered: 0, steps: 0, cpuMs: 0 };
  }

  /** One control step that happened; may take the update due. Returns its surprise and the update's steps. */
  transition(previous: ArrayLike<number>, action: ArrayLike<number>, observed: ArrayLike<number>): TransitionOutcome {
    if (this.recentObs.length === 0) this.recentObs.push(Float32Array.from(previous));
    this.recentObs.push(Float32Array.from(observed));
    this.recentAct.push(Float32Array.from(action));
    const k = this.window;
    if (this.recentAct.length > k) {
      this.recentObs.shift();
      this.recentAct.shift();
    }
    const [before, after] = this.recentObs.slice(-2);
    const error = tf.tidy(() => oneStepLatentError(this.model, before, this.recentAct[this.recentAct.length - 1], after).dataSync() as Float32Array);
    const surprise = Math.sqrt(error.reduce((sum, e) => sum + e * e, 0) / error.length);
    this.track(error);
    this.runningSurprise = this.runningSurprise === undefined ? surprise : this.runningSurprise + (surprise - this.runningSurprise) / 20;
    this.episode.surprise += surprise;
    this.episode.count++;
    if (this.recentAct.length === k && (this.options.gate === 'all' || surprise > this.threshold)) this.buffer();
    let gradientSteps = 0;
    if (this.options.every > 0 && ++this.sinceUpdate >= this.options.every) {
      this.sinceUpdate = 0;
      gradientSteps = this.update(this.steps);
    }
    return { surprise, gradientSteps };
  }

  /** Ends an episode with its own update; what adaptation did in it. */
  endEpisode(): AdaptationReport {
    this.update(this.options.episodeSteps);
    const { surprise, count, buffered, steps, cpuMs } = this.episode;
    const actionMap = this.options.fit === 'action-map' ? this.model.actionMapRows().map((row) => row.map((g) => Number(g.toPrecision(3)))) : undefined;
    return { meanSurprise: count > 0 ? Number((surprise / count).toPrecision(3)) : NaN, buffered, steps, cpuMs: Math.round(cpuMs), ...(actionMap && { actionMap }) };
  }

  /** The factor on the planner's exploration noise for the next plan: 1 until the running surprise passes a fifth of the threshold, `explore` from four fifths of it. */
  exploration(): number {
    const { explore } = this.options;
    if (explore === 1 || this.runningSurprise === undefined) return 1;
    const rise = (this.runningSurprise - 0.2 * this.threshold) / (0.6 * this.threshold);
    return 1 + (explore - 1) * Math.min(1, Math.max(0, rise));
  }

  /** Windows in the buffer now. */
  get buffered(): number {
    return this.bufferObs.length;
  }

  dispose(): void {
    this.adam.dispose();
    this.objective?.state.dispose();
  }

  /** Moves the disturbance estimate toward what the model (already adding it) still missed: an exponential mean of the raw error. */
  private track(error: Float32Array): void {
    const rate = this.options.offset;
    if (rate === 0) return;
    for (let i = 0; i < error.length; i++) this.disturbance[i] += rate * error[i];
    this.model.setLatentOffset(this.disturbance);
  }

  private buffer(): void {
    const obs = new Float32Array((this.window + 1) * this.obsSize);
    this.recentObs.forEach((o, f) => obs.set(o, f * this.obsSize));
    // A model that sees the world from its base sees each window from the pose it starts at, as in training.
    const frame = this.model.frames?.observation;
    if (frame) {
      const pose = frame.poseOf(obs, 0);
      for (let f = 0; f <= this.window; f++) frame.transform(obs, f * this.obsSize, pose, false);
    }
    const act = new Float32Array(this.window * this.actSize);
    this.recentAct.forEach((a, f) => act.set(a, f * this.actSize));
    if (this.bufferObs.length < this.options.buffer) {
      this.bufferObs.push(obs);
      this.bufferAct.push(act);
    } else {
      this.bufferObs[this.next] = obs;
      this.bufferAct[this.next] = act;
      this.next = (this.next + 1) % this.options.buffer;
    }
    this.episode.buffered++;
  }

  /** One Adam step on every weight, on the kind's training objective. */
  private objectiveStep(obs: Float32Array, act: Float32Array): void {
    const objective = this.objective!;
    tf.tidy(() => {
      const { grads } = tf.variableGrads(() => tf.addN(Object.values(trainingLossTerms(objective, this.model, obs, act, this.batch, this.window))) as tf.Scalar, this.vars);
      this.adam.apply(grads);
    });
    objective.state.afterWorldStep();
  }

  /** `n` Adam steps on k-step latent rollouts of buffered and original windows; none while the buffer is empty. Returns the steps taken. */
  private update(n: number): number {
    if (n === 0 || this.bufferObs.length === 0) return 0;
    const start = process.cpuUsage();
    for (let i = 0; i < n; i++) this.gradientStep();
    const used = process.cpuUsage(start);
    this.episode.cpuMs += (used.user + used.system) / 1000;
    this.episode.steps += n;
    this.totalSteps += n;
    return n;
  }

  private gradientStep(): void {
    const { batch, window: k } = this;
    const { replay } = this.options;
    const fromData = this.anchor ? Math.round(batch * replay) : 0;
    const fresh = batch - fromData;
    // Frame-major, as WindowSampler fills: frame f of sample b at row f·batch + b.
    const obs = new Float32Array((k + 1) * batch * this.obsSize);
    const act = new Float32Array(k * batch * this.actSize);
    for (let b = 0; b < fresh; b++) {
      const w = this.rng.int(this.bufferObs.length);
      for (let f = 0; f <= k; f++) obs.set(this.bufferObs[w].subarray(f * this.obsSize, (f + 1) * this.obsSize), (f * batch + b) * this.obsSize);
      for (let f = 0; f < k; f++) act.set(this.bufferAct[w].subarray(f * this.actSize, (f + 1) * this.actSize), (f * batch + b) * this.actSize);
    }
    if (fromData > 0) {
      const o = new Float32Array((k + 1) * fromData * this.obsSize);
      const a = new Float32Array(k * fromData * this.actSize);
      this.anchor!.fill(this.rng, fromData, o, a);
      for (let f = 0; f <= k; f++) obs.set(o.subarray(f * fromData * this.obsSize, (f + 1) * fromData * this.obsSize), (f * batch + fresh) * this.obsSize);
      for (let f = 0; f < k; f++) act.set(a.subarray(f * fromData * this.actSize, (f + 1) * fromData * this.actSize), (f * batch + fresh) * this.actSize);
    }
    if (this.objective) return this.objectiveStep(obs, act);
    const m = this.model;
    tf.tidy(() => {
      // The encoder is frozen: targets and the start latent carry no gradient (they are not among the variables).
      const obsN = m.normaliseObs(tf.tensor2d(obs, [(k + 1) * batch, this.obsSize]));
      const latents = splitRows(m.encode(obsN), k + 1);
      const targets = this.options.loss === 'readout' ? splitRows(m.readoutTargets(obsN), k + 1) : latents;
      const seen = (z: tf.Tensor2D) => (this.options.loss === 'readout' ? m.readoutNormalised(z) : z);
      const actions = splitRows(m.normaliseAct(tf.tensor2d(act, [k * batch, this.actSize])), k);
      const { grads } = tf.variableGrads(() => {
        const terms = m.predictors.flatMap((_, member) => {
          let z = latents[0];
          return actions.map((a, f) => mse(seen((z = m.predictWith(member, z, a))), targets[f + 1]));
        });
        return tf.div(tf.addN(terms), terms.length) as tf.Scalar;
      }, this.vars);
      this.adam.apply(grads);
    });
  }
}
