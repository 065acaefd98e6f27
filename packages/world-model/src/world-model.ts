// The networks of one world model: encoder (observation → latent), action-conditioned predictor(s) (latent, action →
// next latent), readout head (latent → named observation channels in their units), and whatever a plug-in adds
// (a decoder, an inverse-dynamics head). Saved as model.json + weights.bin; loading gives identical predictions.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ItineraError, Rng } from '@itinera/core';
import type { TrainConfig } from './config.js';
import { resolveChannels } from './config.js';
import type { DatasetSpec } from './dataset.js';
import { writeAtomically } from './dataset.js';
import { frameFor, type BaseFrame } from './base-frame.js';
import { applyMlp, applyMlpFused, createMlp, mlpVariables, type Mlp } from './mlp.js';

export const MODEL_FORMAT = 'itinera-world-model-v1';

export interface Normalisation {
  obsMean: number[];
  obsStd: number[];
}

/** Sizes a plug-in's extra networks are built from. */
export interface ModelDims {
  obs: number;
  act: number;
  latent: number;
  hidden: number;
  layers: number;
}

export interface ModelFile {
  format: typeof MODEL_FORMAT;
  kind: string;
  config: TrainConfig;
  /** The plug-in's options after defaults. */
  options: Record<string, unknown>;
  spec: DatasetSpec;
  normalisation: Normalisation;
  /** Resolved readout channel names, in output order. */
  readouts: string[];
  /** Layer sizes of every network; tensors are stored in this order (w then b per layer) in weights.bin. */
  networks: Record<string, number[]>;
  trainedSteps: number;
  backend: string;
}

const hiddenLayers = (width: number, layers: number) => Array.from({ length: layers }, () => width);

/** Layer sizes of the networks every model has, plus the plug-in's extras. */
export function networkSizes(config: TrainConfig, spec: DatasetSpec, readouts: number, extra: Record<string, number[]>): Record<string, number[]> {
  const { latent, hidden, layers, readoutHidden, readoutLayers, ensemble } = config.network;
  const obs = spec.observation.names.length;
  const act = spec.action.names.length;
  const predictorHidden = config.network.predictorHidden ?? hidden;
  const sizes: Record<string, number[]> = { encoder: [obs, ...hiddenLayers(hidden, layers), latent] };
  for (let m = 0; m < ensemble; m++) sizes[`predictor.${m}`] = [latent + act, ...hiddenLayers(predictorHidden, layers), latent];
  sizes.readout = [latent, ...hiddenLayers(readoutHidden, readoutLayers), readouts];
  return { ...sizes, ...extra };
}

export class WorldModel {
  readonly networks: Record<string, Mlp>;
  readonly predictors: Mlp[];
  readonly readoutIndex: number[];
  /** With `network.frame: start`: the base pose's place among the observations and among the readouts. */
  readonly frames?: { observation: BaseFrame; readouts: BaseFrame };
  private readonly obsMean: tf.Tensor1D;
  private readonly obsStd: tf.Tensor1D;
  private readonly actMid: tf.Tensor1D;
  private readonly actHalf: tf.Tensor1D;
  private readonly readoutMean: tf.Tensor1D;
  private readonly readoutStd: tf.Tensor1D;
  /** A linear map [act][act] on the normalised actions the predictors see (online adaptation fits it); absent: the identity. Not saved: `bakeActionMap` first. */
  private actionMap?: tf.Variable;
  /** Added to every predicted step (online adaptation's disturbance estimate, `setLatentOffset`); none after loading. */
  private offset?: tf.Tensor2D;

  private constructor(readonly file: ModelFile, networks: Record<string, Mlp>) {
    this.networks = networks;
    this.predictors = Array.from({ length: file.config.network.ensemble }, (_, m) => networks[`predictor.${m}`]);
    const names = file.spec.observation.names;
    this.readoutIndex = file.readouts.map((r) => names.indexOf(r));
    const observation = frameFor(file.config.network, names, 'observation channels');
    if (observation) this.frames = { observation, readouts: frameFor(file.config.network, file.readouts, 'readouts', true)! };
    const { low, high } = file.spec.action;
    this.obsMean = tf.tensor1d(file.normalisation.obsMean);
    this.obsStd = tf.tensor1d(file.normalisation.obsStd);
    this.actMid = tf.tensor1d(low.map((l, i) => (l + high[i]) / 2));
    this.actHalf = tf.tensor1d(low.map((l, i) => (high[i] - l) / 2));
    this.readoutMean = tf.tensor1d(this.readoutIndex.map((i) => file.normalisation.obsMean[i]));
    this.readoutStd = tf.tensor1d(this.readoutIndex.map((i) => file.normalisation.obsStd[i]));
  }

  /** A freshly initialised model (weights drawn from `seed`). */
  static create(init: Omit<ModelFile, 'format' | 'readouts' | 'networks' | 'trainedSteps'> & { extraNetworks: Record<string, number[]> }): WorldModel {
    const readouts = resolveChannels(init.config.readouts, init.spec.observation.names, 'readouts');
    const sizes = networkSizes(init.config, init.spec, readouts.length, init.extraNetworks);
    const rng = new Rng(init.config.training.seed).fork('init');
    const networks: Record<string, Mlp> = {};
    // Predictors start near the identity map; the rest at the usual scale.
    for (const [name, s] of Object.entries(sizes)) networks[name] = createMlp(s, rng.fork(name), name.startsWith('predictor') ? 0.1 : 1);
    const { extraNetworks: _, ...rest } = init;
    return new WorldModel({ format: MODEL_FORMAT, ...rest, readouts, networks: sizes, trainedSteps: 0 }, networks);
  }

  get config(): TrainConfig {
    return this.file.config;
  }

  get activation() {
    return this.file.config.network.activation;
  }

  get latentSize(): number {
    return this.file.config.network.latent;
  }

  /** Every weight, in the stable order weights.bin uses. */
  namedVariables(): Array<[string, tf.Variable]> {
    return Object.entries(this.networks).flatMap(([name, mlp]) => mlpVariables(mlp).map((v, i) => [`${name}.${i}`, v] as [string, tf.Variable]));
  }

  variables(): tf.Variable[] {
    return this.namedVariables().map(([, v]) => v);
  }

  normaliseObs(obs: tf.Tensor2D): tf.Tensor2D {
    return tf.div(tf.sub(obs, this.obsMean), this.obsStd);
  }

  normaliseAct(act: tf.Tensor2D): tf.Tensor2D {
    return tf.div(tf.sub(act, this.actMid), this.actHalf);
  }

  /** Normalised observations → latents. */
  encode(obsN: tf.Tensor2D, fused = false): tf.Tensor2D {
    return (fused ? applyMlpFused : applyMlp)(this.networks.encoder, obsN, this.activation);
  }

  /** One predictor's next latent: z + f([z, a·G]), G the action map (the identity unless adaptation fits one). */
  predictWith(member: number, z: tf.Tensor2D, actN: tf.Tensor2D, fused = false): tf.Tensor2D {
    const a: tf.Tensor2D = this.actionMap ? tf.matMul(actN, this.actionMap as tf.Tensor2D) : actN;
    const next = tf.add(z, (fused ? applyMlpFused : applyMlp)(this.predictors[member], tf.concat([z, a], 1), this.activation)) as tf.Tensor2D;
    return this.offset ? tf.add(next, this.offset) : next;
  }

  /**
   * Sets the latent step every prediction adds from now on (offset-free MPC's disturbance estimate: what the world
   * does that the predictor misses, taken as constant over a plan's horizon), or clears it. Not saved with the model.
   */
  setLatentOffset(values?: ArrayLike<number>): void {
    if (values && values.length !== this.latentSize) throw new ItineraError(`latent offset: expected ${this.latentSize} values, got ${values.length}`);
    this.offset?.dispose();
    this.offset = values ? tf.tensor2d(Float32Array.from(values), [1, this.latentSize]) : undefined;
  }

  /** The action map as a trainable variable, [act][act], starting at the identity (the robot as trained). */
  actionMapVariable(): tf.Variable {
    this.actionMap ??= tf.tidy(() => tf.variable(tf.eye(this.file.spec.action.names.length), true));
    return this.actionMap;
  }

  /** The action map's rows (the identity when none is fitted). */
  actionMapRows(): number[][] {
    const n = this.file.spec.action.names.length;
    const flat = this.actionMap?.dataSync();
    return Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => (flat ? flat[r * n + c] : r === c ? 1 : 0)));
  }

  /** Folds the action map into each predictor's first layer (its action rows, G·W: the same predictions) and resets it to the identity, so a saved model keeps it and adaptation can go on. */
  bakeActionMap(): void {
    if (!this.actionMap) return;
    const map = this.actionMap as tf.Variable<tf.Rank.R2>;
    const latent = this.latentSize;
    tf.tidy(() => {
      for (const [{ w }] of this.predictors) {
        const [fromLatent, fromAction] = tf.split(w as tf.Tensor2D, [latent, w.shape[0] - latent], 0);
        w.assign(tf.concat([fromLatent, tf.matMul(map, fromAction)], 0));
      }
      map.assign(tf.eye(map.shape[0]));
    });
  }

  /** The ensemble's mean next latent. */
  predict(z: tf.Tensor2D, actN: tf.Tensor2D, fused = false): tf.Tensor2D {
    if (this.predictors.length === 1) return this.predictWith(0, z, actN, fused);
    return tf.mean(tf.stack(this.predictors.map((_, m) => this.predictWith(m, z, actN, fused))), 0) as tf.Tensor2D;
  }

  /**
   * Observation rows [n][obs] as the networks see them: with `network.frame: start`, a copy seen from the base pose
   * in `origins` (one observation row for all, or one per row when `perRow`); otherwise the rows themselves.
   */
  inModelFrame(obs: Float32Array, n: number, origins: ArrayLike<number>, perRow = false): Float32Array {
    return this.frames ? this.reframe(Float32Array.from(obs), n, origins, perRow, false) : obs;
  }

  /** Decoded readout rows [n][readouts] back in the world from the model frame of `origins` (in place). */
  readoutsToWorld(readouts: Float32Array, n: number, origins: ArrayLike<number>, perRow = false): Float32Array {
    return this.frames ? this.reframe(readouts, n, origins, perRow, true) : readouts;
  }

  private reframe(rows: Float32Array, n: number, origins: ArrayLike<number>, perRow: boolean, toWorld: boolean): Float32Array {
    const { observation, readouts } = this.frames!;
    const o = this.file.spec.observation.names.length;
    const width = toWorld ? this.readoutIndex.length : o;
    let pose = observation.poseOf(origins);
    for (let r = 0; r < n; r++) {
      if (perRow) pose = observation.poseOf(origins, r * o);
      (toWorld ? readouts : observation).transform(rows, r * width, pose, toWorld);
    }
    return rows;
  }

  /** Latents → readout channels, normalised like the observations. */
  readoutNormalised(z: tf.Tensor2D, fused = false): tf.Tensor2D {
    return (fused ? applyMlpFused : applyMlp)(this.networks.readout, z, this.activation);
  }

  /** Latents → readout channels in their own units (metres, rad/s). */
  readout(z: tf.Tensor2D, fused = false): tf.Tensor2D {
    return tf.add(tf.mul(this.readoutNormalised(z, fused), this.readoutStd), this.readoutMean);
  }

  /** The readout channels of normalised observations (training targets). */
  readoutTargets(obsN: tf.Tensor2D): tf.Tensor2D {
    return tf.gather(obsN, this.readoutIndex, 1);
  }

  /** Readout channels picked out of raw observations, as a Float64Array [n][readouts]. */
  readoutOfObservations(obs: Float32Array | Float64Array, n: number): Float64Array {
    const o = this.file.spec.observation.names.length;
    const out = new Float64Array(n * this.readoutIndex.length);
    for (let i = 0; i < n; i++) this.readoutIndex.forEach((c, j) => (out[i * this.readoutIndex.length + j] = obs[i * o + c]));
    return out;
  }

  /** Writes model.json and weights.bin (each atomically). */
  save(dir: string, trainedSteps: number, backend: string): void {
    mkdirSync(dir, { recursive: true });
    const weights = this.namedVariables().map(([, v]) => v.dataSync() as Float32Array);
    const total = weights.reduce((n, w) => n + w.length, 0);
    const bin = new Float32Array(total);
    let o = 0;
    for (const w of weights) {
      bin.set(w, o);
      o += w.length;
    }
    writeAtomically(join(dir, 'weights.bin'), new Uint8Array(bin.buffer));
    this.file.trainedSteps = trainedSteps;
    this.file.backend = backend;
    writeAtomically(join(dir, 'model.json'), JSON.stringify(this.file, null, 1) + '\n');
  }

  /** Loads weights from a flat Float32 array in namedVariables order. */
  assign(flat: Float32Array): void {
    let o = 0;
    for (const [, v] of this.namedVariables()) {
      const size = v.size;
      if (o + size > flat.length) throw new ItineraError(`weights: ${flat.length} values, the networks need more`);
      v.assign(tf.tensor(flat.subarray(o, o + size), v.shape));
      o += size;
    }
    if (o !== flat.length) throw new ItineraError(`weights: ${flat.length} values, the networks need ${o}`);
  }

  static load(dir: string): WorldModel {
    const jsonPath = join(dir, 'model.json');
    if (!existsSync(jsonPath)) throw new ItineraError(`${dir}: no trained model here (model.json missing); run itinera train --out ${dir}`);
    const file = JSON.parse(readFileSync(jsonPath, 'utf8')) as ModelFile;
    if (file.format !== MODEL_FORMAT) throw new ItineraError(`${jsonPath}: not an itinera world model (format ${file.format})`);
    const rng = new Rng(0);
    const networks: Record<string, Mlp> = {};
    for (const [name, sizes] of Object.entries(file.networks)) networks[name] = createMlp(sizes, rng);
    const model = new WorldModel(file, networks);
    const bytes = readFileSync(join(dir, 'weights.bin'));
    tf.tidy(() => model.assign(new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))));
    return model;
  }

  dispose(): void {
    this.actionMap?.dispose();
    this.setLatentOffset(undefined);
    for (const v of this.variables()) v.dispose();
    for (const t of [this.obsMean, this.obsStd, this.actMid, this.actHalf, this.readoutMean, this.readoutStd]) t.dispose();
  }
}
