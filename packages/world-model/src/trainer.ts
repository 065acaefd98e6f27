// `itinera train`: fits a model kind to a dataset with Adam on multi-step latent rollouts, in named phases — open the
// run, create the model and the kind's training state, restore the checkpoint, world-model steps, readout steps on
// frozen latents, metrics — checkpointing the whole state so a killed run resumes to the same weights as an unbroken one.
import { existsSync, mkdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ItineraError, parseWithSchema, Rng } from '@itinera/core';
import { Adam } from './adam.js';
import { frameFor } from './base-frame.js';
import { Checkpoint, type HistoryEntry, type Resumed } from './checkpoint.js';
import { resolveChannels, type TrainConfig } from './config.js';
import { readDatasets, specMismatch, writeAtomically, type Episode, type Manifest } from './dataset.js';
import type { ModelDefinition, TrainingState } from './define-model.js';
import { builtinModels } from './models.js';
import { FrozenLatents } from './readout-phase.js';
import { trainingLossTerms } from './training-loss.js';
import { observationStats, splitEpisodes, WindowSampler } from './windows.js';
import { networkSizes, WorldModel, type Normalisation } from './world-model.js';

export interface TrainOptions {
  /** One dataset directory, or several of the same robot and scenario (e.g. its variants) trained on as one. */
  data: string | readonly string[];
  config: TrainConfig;
  out: string;
  resume?: boolean;
  /** A trained model directory to start from (same kind, network and channels) instead of fresh weights: its
   * weights and normalisation carry over (README: give it the data the model first trained on as well). */
  init?: string;
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

export interface TrainMetrics {
  model: string;
  backend: string;
  /** Steps run in all, world-model then readout. */
  steps: number;
  worldSteps: number;
  batch: number;
  dataSteps: number;
  /** The dataset directories it trained on, relative to the model directory, so online adaptation can replay them. */
  data?: string[];
  trainWindows: number;
  validationWindows: number;
  /** Training windows per second over the world-model steps this process ran (checkpoints and the readout phase excluded). */
  samplesPerSecond: number;
  wallSeconds: number;
  resumedFrom: number;
  /** The model directory training started from (`init`), relative to the model directory. */
  initFrom?: string;
  history: HistoryEntry[];
  final: HistoryEntry;
}

/** A run's config, model kind and windows, all checked before training starts. */
interface Run {
  options: TrainOptions;
  config: TrainConfig;
  definition: ModelDefinition<any>;
  kindOptions: Record<string, unknown>;
  manifest: Manifest;
  /** Everything a resumed run must share with the run it continues. */
  key: string;
  obs: number;
  act: number;
  trainEpisodes: Episode[];
  sampler: WindowSampler;
  validationSampler: WindowSampler;
}

/** What training works on once the run is open. */
interface Session {
  run: Run;
  model: WorldModel;
  state: TrainingState;
  adam: Adam;
  checkpoint: Checkpoint;
}

export async function train(options: TrainOptions): Promise<TrainMetrics> {
  const run = openRun(options);
  const model = options.init ? warmStart(run, options.init) : createModel(run);
  const state = run.definition.trainingState(run.kindOptions, model);
  const weights = model.variables();
  const adam = new Adam(weights, options.config.training.learningRate);
  const checkpoint = new Checkpoint(options.out, run.key, [...weights, ...adam.m, ...adam.v, ...state.variables], adam);
  try {
    const loop = runSteps({ run, model, state, adam, checkpoint }, options.resume ? checkpoint.restore() : undefined);
    return writeMetrics(run, loop);
  } finally {
    adam.dispose();
    state.dispose();
    model.dispose();
  }
}

/** Phase 1: parse the kind's options, read the dataset, refuse to overwrite a run, cut the training windows. */
function openRun(options: TrainOptions): Run {
  const { config, out } = options;
  const definition: ModelDefinition<any> = builtinModels().get(config.model);
  const kindOptions = parseWithSchema(definition.schema, { ...definition.defaults, ...config.options }, `options (${definition.name})`) as Record<string, unknown>;
  const dirs = typeof options.data === 'string' ? [options.data] : options.data;
  const { manifest, parts } = readDatasets(dirs);
  const key = JSON.stringify({ config, steps: manifest.steps, episodes: manifest.episodes, chunks: manifest.chunks.length, init: options.init && resolve(options.init) });
  if (existsSync(Checkpoint.pointerIn(out)) && !options.resume) throw new ItineraError(`${out} already holds a training run; pass --resume to continue it or choose another --out`);
  mkdirSync(out, { recursive: true });

  const k = config.training.rolloutSteps;
  // Each dataset gives its own validation share, so every variant is checked.
  const splits = parts.map((episodes) => splitEpisodes(episodes, config.training.validation));
  const trainEpisodes = splits.flatMap((s) => s.train);
  const validation = splits.flatMap((s) => s.validation);
  const obs = manifest.observation.names.length;
  const act = manifest.action.names.length;
  const frame = frameFor(config.network, manifest.observation.names, 'observation channels');
  if (frame && config.planning?.cost !== 'task') throw new ItineraError('network.frame: start needs planning.cost: task (the config cost would read world positions)');
  const sampler = new WindowSampler(trainEpisodes, k, obs, act, frame);
  const validationSampler = new WindowSampler(validation.length > 0 ? validation : trainEpisodes, k, obs, act, frame);
  if (sampler.count === 0) throw new ItineraError(`${dirs.join(', ')}: no episode is longer than rolloutSteps (${k}); collect more data`);
  return { options, config, definition, kindOptions, manifest, key, obs, act, trainEpisodes, sampler, validationSampler };
}

/** Channels the config's `network.ignore` names normalise to ~0 (a huge std): the networks do not see them. */
function muteChannels(stats: Normalisation, config: TrainConfig, names: readonly string[]): Normalisation {
  const ignored = resolveChannels(config.network.ignore ?? [], names, 'network.ignore');
  const decoded = ignored.filter((c) => resolveChannels(config.readouts, names, 'readouts').includes(c));
  if (decoded.length > 0) throw new ItineraError(`network.ignore: ${decoded.join(', ')} cannot be both ignored and decoded by a readout`);
  return { ...stats, obsStd: stats.obsStd.map((s, c) => (ignored.includes(names[c]) ? IGNORED_STD : s)) };
}
const IGNORED_STD = 1e9;
/** Windows whose frames give the normalisation when each window is seen from its own start. */
const FRAME_STATS_WINDOWS = 5000;

/** The layer sizes of the kind's own networks for this run. */
function extraNetworks({ definition, kindOptions, obs, act, config }: Run): Record<string, number[]> {
  const { latent, hidden, layers } = config.network;
  return definition.extraNetworks(kindOptions, { obs, act, latent, hidden, layers });
}

/** Phase 2: a freshly initialised model, normalised on the training episodes. */
function createModel(run: Run): WorldModel {
  const model = WorldModel.create({
    kind: run.definition.name,
    config: run.config,
    options: run.kindOptions,
    spec: run.manifest,
    normalisation: muteChannels(run.config.network.frame === 'start' ? run.sampler.stats(FRAME_STATS_WINDOWS) : observationStats(run.trainEpisodes, run.obs), run.config, run.manifest.observation.names),
    backend: run.options.backend,
    extraNetworks: extraNetworks(run),
  });
  // Strip the dataset bookkeeping from the spec a model carries.
  const { format: _f, policy: _p, chunks: _c, steps: _s, episodes: _e, ...spec } = run.manifest;
  model.file.spec = spec;
  return model;
}

/** Phase 2 with `init`: the trained model, checked against this run's kind, networks and channels. */
function warmStart(run: Run, dir: string): WorldModel {
  const model = WorldModel.load(dir);
  const fail = (what: string) => {
    model.dispose();
    return new ItineraError(`--init ${dir}: ${what}; a warm start needs the same kind, network and channels`);
  };
  const { file } = model;
  if (file.kind !== run.definition.name) throw fail(`a ${file.kind} model, the config trains ${run.definition.name}`);
  const mismatch = specMismatch(file.spec, run.manifest);
  if (mismatch) throw fail(`it does not fit the dataset: ${mismatch}`);
  const readouts = resolveChannels(run.config.readouts, run.manifest.observation.names, 'readouts');
  if (JSON.stringify(file.networks) !== JSON.stringify(networkSizes(run.config, run.manifest, readouts.length, extraNetworks(run)))) throw fail("its networks differ from the config's");
  file.config = run.config;
  file.backend = run.options.backend;
  return model;
}

/** Loss terms of one batch (a scalar tensor each): the kind's training objective. */
function lossTerms({ run, model, state }: Session, obsData: Float32Array, actData: Float32Array, n: number): Record<string, tf.Scalar> {
  const objective = { definition: run.definition, options: run.kindOptions, state, readoutShaping: run.config.training.readoutShaping };
  return trainingLossTerms(objective, model, obsData, actData, n, run.config.training.rolloutSteps);
}

/** One Adam step on the summed loss terms, updating `vars` only; the terms' values when `logging`. */
function optimiserStep(adam: Adam, vars: tf.Variable[], loss: () => Record<string, tf.Scalar>, rateScale: number, logging: boolean): Record<string, number> | undefined {
  let logged: tf.Tensor | undefined;
  let names: string[] = [];
  tf.tidy(() => {
    const { grads } = tf.variableGrads(() => {
      const terms = loss();
      names = Object.keys(terms);
      const values = Object.values(terms);
      if (logging) logged = tf.keep(tf.stack(values));
      return tf.addN(values) as tf.Scalar;
    }, vars);
    adam.apply(grads, rateScale);
  });
  if (!logged) return undefined;
  const values = logged.dataSync();
  logged.dispose();
  return Object.fromEntries(names.map((n, i) => [n, values[i]]));
}

/** A fixed validation set: evenly spread windows, scored on every loss term at each checkpoint. */
function validationSet(session: Session): () => Record<string, number> {
  const { run } = session;
  const k = run.config.training.rolloutSteps;
  const indices = run.validationSampler.spread(512);
  const n = indices.length;
  const obs = new Float32Array((k + 1) * n * run.obs);
  const act = new Float32Array(k * n * run.act);
  run.validationSampler.fill(new Rng(0), n, obs, act, indices);
  return () =>
    tf.tidy(() => {
      const terms = lossTerms(session, obs, act, n);
      return Object.fromEntries(Object.entries(terms).map(([name, t]) => [name, t.dataSync()[0]]));
    });
}

/** What the training loop hands to the metrics. */
interface LoopResult {
  start: number;
  last: number;
  history: HistoryEntry[];
  /** Loss terms of the last logged step. */
  terms: Record<string, number>;
  samplesPerSecond: number;
  wallSeconds: number;
}

/** Phases 3 and 4: the world model trains for `steps`, then the readout head alone for `readoutSteps` on frozen latents. */
function runSteps(session: Session, resumed: Resumed | undefined): LoopResult {
  const { run, model, state, adam, checkpoint } = session;
  const { options, sampler } = run;
  const { steps: worldSteps, batch, rolloutSteps: k, seed, readoutSteps, checkpointEvery, logEvery } = run.config.training;
  const total = worldSteps + readoutSteps;
  const start = resumed?.step ?? 0;
  const history = resumed?.history ?? [];
  const allVars = model.variables();
  const readoutVars = model.networks.readout.flatMap(({ w, b }) => [w, b]);
  const obsBuf = new Float32Array((k + 1) * batch * run.obs);
  const actBuf = new Float32Array(k * batch * run.act);
  const validate = validationSet(session);

  let terms: Record<string, number> = {};
  const began = performance.now();
  const last = Math.min(total, options.stopAfter ?? total);
  let frozen: FrozenLatents | undefined;
  let worldMs = 0;
  let worldRan = 0;
  const samplesPerSecond = () => (worldRan * batch * 1000) / worldMs;
  try {
    for (let step = start; step < last; step++) {
      const stepBegan = performance.now();
      const logging = (step + 1) % logEvery === 0 || step + 1 === total;
      let logged: Record<string, number> | undefined;
      if (step < worldSteps) {
        sampler.fill(new Rng(seed).fork(`batch-${step}`), batch, obsBuf, actBuf);
        logged = optimiserStep(adam, allVars, () => lossTerms(session, obsBuf, actBuf, batch), 1, logging);
        state.afterWorldStep();
      } else {
        frozen ??= FrozenLatents.build(model, sampler, run.config.training.readoutWindows, run.obs, run.act);
        // The readout phase anneals its step size linearly, for precise decoding at the end.
        const rateScale = 1 - (1 - run.config.training.readoutFinalRate) * ((step - worldSteps) / Math.max(1, readoutSteps));
        const loss = () => ({ readout: frozen!.loss(model, new Rng(seed).fork(`readout-${step}`), run.config.training.readoutBatch) });
        logged = optimiserStep(adam, readoutVars, loss, rateScale, logging);
      }
      if (logged) {
        terms = logged;
        history.push({ step: step + 1, train: terms });
      }
      if (step < worldSteps) {
        worldMs += performance.now() - stepBegan;
        worldRan++;
      }
      const done = step + 1;
      if (done % checkpointEvery === 0 || done === total) {
        if (history.length > 0 && history[history.length - 1].step === done) history[history.length - 1].validation = validate();
        checkpoint.save(done, history, model, options.backend);
      }
      const seconds = (performance.now() - began) / 1000;
      options.onProgress?.({ step: done, total, terms, samplesPerSecond: worldRan > 0 ? samplesPerSecond() : ((done - start) * batch) / Math.max(seconds, 1e-9) });
    }
  } finally {
    frozen?.dispose();
  }
  return { start, last, history, terms, samplesPerSecond: worldRan > 0 ? samplesPerSecond() : 0, wallSeconds: (performance.now() - began) / 1000 };
}

/** Phase 5: metrics.json, the run's summary. */
function writeMetrics(run: Run, loop: LoopResult): TrainMetrics {
  const { steps: worldSteps, batch } = run.config.training;
  const metrics: TrainMetrics = {
    model: run.definition.name,
    backend: run.options.backend,
    steps: loop.last,
    worldSteps: Math.min(loop.last, worldSteps),
    batch,
    dataSteps: run.manifest.steps,
    data: (typeof run.options.data === 'string' ? [run.options.data] : run.options.data).map((d) => relative(resolve(run.options.out), resolve(d))),
    trainWindows: run.sampler.count,
    validationWindows: run.validationSampler.count,
    samplesPerSecond: loop.samplesPerSecond,
    wallSeconds: loop.wallSeconds,
    resumedFrom: loop.start,
    ...(run.options.init && { initFrom: relative(resolve(run.options.out), resolve(run.options.init)) }),
    history: loop.history,
    final: loop.history[loop.history.length - 1] ?? { step: loop.last, train: loop.terms },
  };
  writeAtomically(join(run.options.out, 'metrics.json'), JSON.stringify(metrics, null, 1) + '\n');
  return metrics;
}
