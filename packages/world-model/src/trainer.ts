// `itinera train`: fits a model kind to a dataset with Adam on multi-step latent rollouts, checkpointing the whole
// state (weights, Adam moments, EMA target) atomically so a killed run resumes to the same weights as an unbroken one.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ItineraError, parseWithSchema, Rng } from '@itinera/core';
import { Adam } from './adam.js';
import type { TrainConfig } from './config.js';
import { readEpisodes, readManifest, writeAtomically, type Manifest } from './dataset.js';
import type { LossBatch, ModelDefinition } from './define-model.js';
import { concatRows, mse, splitRows, stopGradient } from './losses.js';
import { applyMlp, createMlp, type Mlp } from './mlp.js';
import { builtinModels } from './models.js';
import { FrozenLatents } from './readout-phase.js';
import { observationStats, splitEpisodes, WindowSampler } from './windows.js';
import { WorldModel } from './world-model.js';

export interface TrainOptions {
  data: string;
  config: TrainConfig;
  out: string;
  resume?: boolean;
  /** Backend description recorded in model.json and metrics.json. */
  backend: string;
  onProgress?: (p: TrainProgress) => void;
  /** Stops this process after this step (tests simulate an interruption with it). */
  stopAfter?: number;
}

export interface TrainProgress {
  step: number;
  total: number;
  /** Loss terms of the last logged step. */
  terms: Record<string, number>;
  samplesPerSecond: number;
}

export interface HistoryEntry {
  step: number;
  train: Record<string, number>;
  validation?: Record<string, number>;
}

export interface TrainMetrics {
  model: string;
  backend: string;
  /** Steps run in all, world-model then readout. */
  steps: number;
  worldSteps: number;
  batch: number;
  dataSteps: number;
  trainWindows: number;
  validationWindows: number;
  /** Training windows per second over the world-model steps this process ran (checkpoints and the readout phase excluded). */
  samplesPerSecond: number;
  wallSeconds: number;
  resumedFrom: number;
  history: HistoryEntry[];
  final: HistoryEntry;
}

interface CheckpointFile {
  step: number;
  file: string;
  key: string;
  adamSteps: number[];
  history: HistoryEntry[];
}

/** Everything a resumed run must share with the run it continues. */
function runKey(config: TrainConfig, manifest: Manifest): string {
  return JSON.stringify({ config, steps: manifest.steps, episodes: manifest.episodes, chunks: manifest.chunks.length });
}

export async function train(options: TrainOptions): Promise<TrainMetrics> {
  const { config, out } = options;
  const definition: ModelDefinition<any> = builtinModels().get(config.model);
  const kindOptions = parseWithSchema(definition.schema, { ...definition.defaults, ...config.options }, `options (${definition.name})`) as Record<string, unknown>;
  const manifest = readManifest(options.data);
  if (!manifest) throw new ItineraError(`${options.data}: no dataset here (manifest.json missing); run itinera collect --out ${options.data}`);
  const key = runKey(config, manifest);
  const checkpointPath = join(out, 'checkpoint.json');
  if (existsSync(checkpointPath) && !options.resume) throw new ItineraError(`${out} already holds a training run; pass --resume to continue it or choose another --out`);
  mkdirSync(out, { recursive: true });

  const { steps: worldSteps, batch, rolloutSteps: k, seed, readoutSteps, checkpointEvery, logEvery } = config.training;
  const total = worldSteps + readoutSteps;
  const episodes = readEpisodes(options.data, manifest);
  const { train: trainEpisodes, validation: validationEpisodes } = splitEpisodes(episodes, config.training.validation);
  const obs = manifest.observation.names.length;
  const act = manifest.action.names.length;
  const sampler = new WindowSampler(trainEpisodes, k, obs, act);
  const validationSampler = new WindowSampler(validationEpisodes.length > 0 ? validationEpisodes : trainEpisodes, k, obs, act);
  if (sampler.count === 0) throw new ItineraError(`${options.data}: no episode is longer than rolloutSteps (${k}); collect more data`);

  const { latent, hidden, layers } = config.network;
  const model = WorldModel.create({
    kind: definition.name,
    config,
    options: kindOptions,
    spec: manifest,
    normalisation: observationStats(trainEpisodes, obs),
    backend: options.backend,
    extraNetworks: definition.extraNetworks(kindOptions, { obs, act, latent, hidden, layers }),
  });
  // Strip the dataset bookkeeping from the spec a model carries.
  const { format: _f, policy: _p, chunks: _c, steps: _s, episodes: _e, ...spec } = manifest;
  model.file.spec = spec;
  const target = definition.targetEncoder(kindOptions);
  const ema: Mlp | undefined = target.kind === 'ema' ? createMlp(model.file.networks.encoder, new Rng(0)) : undefined;
  ema?.forEach((layer, l) => {
    layer.w.assign(model.networks.encoder[l].w);
    layer.b.assign(model.networks.encoder[l].b);
  });
  const allVars = model.variables();
  const readoutVars = model.networks.readout.flatMap(({ w, b }) => [w, b]);
  const adam = new Adam(allVars, config.training.learningRate);
  const emaVars = ema?.flatMap(({ w, b }) => [w, b]) ?? [];
  const stateVars = [...allVars, ...adam.m, ...adam.v, ...emaVars];

  let start = 0;
  let history: HistoryEntry[] = [];
  if (options.resume && existsSync(checkpointPath)) {
    const checkpoint = JSON.parse(readFileSync(checkpointPath, 'utf8')) as CheckpointFile;
    if (checkpoint.key !== key) throw new ItineraError(`${out}: the checkpoint was made with another config or dataset; train into a new --out`);
    const bytes = readFileSync(join(out, checkpoint.file));
    const flat = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    let o = 0;
    tf.tidy(() => {
      for (const v of stateVars) {
        v.assign(tf.tensor(flat.subarray(o, o + v.size), v.shape));
        o += v.size;
      }
    });
    checkpoint.adamSteps.forEach((s, i) => (adam.steps[i] = s));
    start = checkpoint.step;
    history = checkpoint.history;
  }

  const obsBuf = new Float32Array((k + 1) * batch * obs);
  const actBuf = new Float32Array(k * batch * act);
  const validationIndices = validationSampler.spread(512);
  const vBatch = validationIndices.length;
  const vObs = new Float32Array((k + 1) * vBatch * obs);
  const vAct = new Float32Array(k * vBatch * act);
  validationSampler.fill(new Rng(0), vBatch, vObs, vAct, validationIndices);

  /** Loss terms of one batch (a scalar tensor each); the readout term is on latents with gradients stopped. */
  const lossTerms = (obsData: Float32Array, actData: Float32Array, n: number): Record<string, tf.Scalar> => {
    const obsN = model.normaliseObs(tf.tensor2d(obsData, [(k + 1) * n, obs]));
    const actN = model.normaliseAct(tf.tensor2d(actData, [k * n, act]));
    const frames = splitRows(obsN, k + 1);
    const actions = splitRows(actN, k);
    const all = model.encode(obsN);
    const latents = splitRows(all, k + 1);
    // Targets carry no gradient: the online latents behind a stop-gradient, or the EMA encoder's.
    const targets = target.kind === 'none' ? undefined : splitRows(target.kind === 'ema' ? applyMlp(ema!, obsN, model.activation) : stopGradient(all), k + 1);
    const rolled = model.predictors.map((_, m) => {
      let z = latents[0];
      return actions.map((a) => (z = model.predictWith(m, z, a)));
    });
    const lossBatch: LossBatch = { model, obs: frames, actions, latents, targets, rolled };
    const terms = definition.losses(kindOptions, lossBatch);
    // Readouts learn on frozen latents: of real frames and of the rolled-out predictions planning will decode.
    let planned = rolled[0];
    if (model.predictors.length > 1) {
      let z = latents[0];
      planned = actions.map((a) => (z = model.predict(z, a)));
    }
    const frozen = stopGradient(concatRows([all, ...planned]));
    terms.readout = mse(model.readoutNormalised(frozen), model.readoutTargets(concatRows([obsN, ...frames.slice(1)])));
    return terms;
  };

  const evaluateValidation = (): Record<string, number> =>
    tf.tidy(() => {
      const terms = lossTerms(vObs, vAct, vBatch);
      return Object.fromEntries(Object.entries(terms).map(([name, t]) => [name, t.dataSync()[0]]));
    });

  const saveCheckpoint = (step: number) => {
    const flat = new Float32Array(stateVars.reduce((n, v) => n + v.size, 0));
    let o = 0;
    for (const v of stateVars) {
      flat.set(v.dataSync() as Float32Array, o);
      o += v.size;
    }
    const file = `checkpoint-${String(step).padStart(8, '0')}.bin`;
    writeAtomically(join(out, file), new Uint8Array(flat.buffer));
    model.save(out, step, options.backend);
    const checkpoint: CheckpointFile = { step, file, key, adamSteps: [...adam.steps], history };
    writeAtomically(checkpointPath, JSON.stringify(checkpoint) + '\n');
    // Older state files are garbage once the pointer moved.
    for (const f of readdirSync(out)) if (/^checkpoint-\d+\.bin$/.test(f) && f !== file) rmSync(join(out, f), { force: true });
  };

  let terms: Record<string, number> = {};
  const began = performance.now();
  const last = Math.min(total, options.stopAfter ?? total);
  // The world model trains for `steps`, then the readout head alone for `readoutSteps` on frozen latents.
  let frozen: FrozenLatents | undefined;
  let worldMs = 0;
  let worldRan = 0;
  for (let step = start; step < last; step++) {
    const stepBegan = performance.now();
    const readoutOnly = step >= worldSteps;
    const logging = (step + 1) % logEvery === 0 || step + 1 === total;
    if (readoutOnly && !frozen) frozen = FrozenLatents.build(model, sampler, config.training.readoutWindows, obs, act);
    if (!readoutOnly) sampler.fill(new Rng(seed).fork(`batch-${step}`), batch, obsBuf, actBuf);
    let logged: tf.Tensor | undefined;
    let names: string[] = [];
    tf.tidy(() => {
      const { grads } = tf.variableGrads(() => {
        const t = readoutOnly ? { readout: frozen!.loss(model, new Rng(seed).fork(`readout-${step}`), config.training.readoutBatch) } : lossTerms(obsBuf, actBuf, batch);
        names = Object.keys(t);
        const values = Object.values(t);
        if (logging) logged = tf.keep(tf.stack(values));
        return tf.addN(values) as tf.Scalar;
      }, readoutOnly ? readoutVars : allVars);
      // The readout phase anneals its step size linearly, for precise decoding at the end.
      const progress = readoutOnly ? (step - worldSteps) / Math.max(1, readoutSteps) : 0;
      adam.apply(grads, readoutOnly ? 1 - (1 - config.training.readoutFinalRate) * progress : 1);
    });
    if (ema && target.kind === 'ema' && !readoutOnly) {
      tf.tidy(() => ema.forEach((layer, l) => {
        layer.w.assign(tf.add(tf.mul(layer.w, target.decay), tf.mul(model.networks.encoder[l].w, 1 - target.decay)));
        layer.b.assign(tf.add(tf.mul(layer.b, target.decay), tf.mul(model.networks.encoder[l].b, 1 - target.decay)));
      }));
    }
    if (logged) {
      const values = logged.dataSync();
      logged.dispose();
      terms = Object.fromEntries(names.map((n, i) => [n, values[i]]));
      history.push({ step: step + 1, train: terms });
    }
    if (!readoutOnly) {
      worldMs += performance.now() - stepBegan;
      worldRan++;
    }
    const done = step + 1;
    if (done % checkpointEvery === 0 || done === total) {
      if (history.length > 0 && history[history.length - 1].step === done) history[history.length - 1].validation = evaluateValidation();
      saveCheckpoint(done);
    }
    const seconds = (performance.now() - began) / 1000;
    options.onProgress?.({ step: done, total, terms, samplesPerSecond: worldRan > 0 ? (worldRan * batch * 1000) / worldMs : ((done - start) * batch) / Math.max(seconds, 1e-9) });
  }
  frozen?.dispose();
  const wallSeconds = (performance.now() - began) / 1000;
  const final = history[history.length - 1] ?? { step: last, train: terms };
  const metrics: TrainMetrics = {
    model: definition.name,
    backend: options.backend,
    steps: last,
    worldSteps: Math.min(last, worldSteps),
    batch,
    dataSteps: manifest.steps,
    trainWindows: sampler.count,
    validationWindows: validationSampler.count,
    samplesPerSecond: worldRan > 0 ? (worldRan * batch * 1000) / worldMs : 0,
    wallSeconds,
    resumedFrom: start,
    history,
    final,
  };
  writeAtomically(join(out, 'metrics.json'), JSON.stringify(metrics, null, 1) + '\n');
  adam.dispose();
  for (const v of emaVars) v.dispose();
  model.dispose();
  return metrics;
}
