// Online adaptation (--adapt) on reach-v1 with a tiny JEPA trained here on the plain arm: under a weak motor it
// lowers the model's surprise on held-out shifted steps, it is deterministic for a seed, it leaks no tensors, and
// through the CLI it reports per episode, carries across episodes and saves a model --model loads.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { RunSummary } from '@itinera/core';
import { createEnv } from '@itinera/physics';
import { loadBuiltinRobot } from '@itinera/robots';
import { reach, reachOptionsSchema } from '@itinera/sim-reach';
import { collect, evaluateModel, initBackend, OnlineAdaptation, readEpisodes, train, WorldModel, type Episode } from '@itinera/world-model';
import { tinyReachJepa } from './tiny-reach-jepa.js';

const BIN = join(import.meta.dirname, '..', 'packages', 'cli', 'bin', 'itinera.js');
const robot = loadBuiltinRobot('reacher');
const root = mkdtempSync(join(tmpdir(), 'itinera-adapt-'));
const [data, weak, weakHeldOut, modelDir] = ['data', 'weak', 'weak-held-out', 'model'].map((d) => join(root, d));


before(async () => {
  await initBackend('wasm');
  for (const [dir, steps, seed, shift] of [[data, 2000, 1, {}], [weak, 600, 2, { motor: 0.3 }], [weakHeldOut, 400, 3, { motor: 0.3 }]] as const) {
    const scenarioOptions = reachOptionsSchema.parse(shift) as Record<string, unknown>;
    const env = await createEnv(reach, robot, { scenarioOptions });
    collect(env, dir, { steps, seed, scenarioOptions, episodeSteps: 100 });
    env.free();
  }
  await train({ data, config: tinyReachJepa, out: modelDir, backend: 'wasm' });
});

after(() => process.env.KEEP || rmSync(root, { recursive: true, force: true }));

/** Feeds every step of `episodes` to the adaptation, one episode at a time. */
function feed(adaptation: OnlineAdaptation, episodes: Episode[]): void {
  const [o, a] = [adaptation.model.file.spec.observation.names.length, adaptation.model.file.spec.action.names.length];
  for (const e of episodes) {
    adaptation.startEpisode();
    for (let t = 0; t < e.steps; t++) adaptation.transition(e.observations.subarray(t * o, (t + 1) * o), e.actions.subarray(t * a, (t + 1) * a), e.observations.subarray((t + 1) * o, (t + 2) * o));
    adaptation.endEpisode();
  }
}

/** Mean one-step surprise of a model over episodes it does not learn from (threshold out of reach, no updates). */
function meanSurprise(model: WorldModel, episodes: Episode[]): number {
  const probe = new OnlineAdaptation(model, { threshold: 1e9, every: 0, episodeSteps: 0, replay: 0 });
  const o = model.file.spec.observation.names.length;
  const a = model.file.spec.action.names.length;
  let [sum, n] = [0, 0];
  for (const e of episodes) for (let t = 0; t < e.steps; t++, n++) sum += probe.transition(e.observations.subarray(t * o, (t + 1) * o), e.actions.subarray(t * a, (t + 1) * a), e.observations.subarray((t + 1) * o, (t + 2) * o)).surprise;
  probe.dispose();
  return sum / n;
}

const predictorWeights = (model: WorldModel) => model.namedVariables().filter(([n]) => n.startsWith('predictor')).flatMap(([, v]) => Array.from(v.dataSync()));

test('the default fit goes on training the whole model where the robot is: held-out k-step readout errors fall, deterministically, without leaking tensors', () => {
  const shifted = readEpisodes(weak);
  const trainingData = readEpisodes(data);
  const kStep = (dir: string) => evaluateModel(dir, weakHeldOut, 'wasm').kStep;
  const before = kStep(modelDir);
  const runs = [0, 1].map((i) => {
    const model = WorldModel.load(modelDir);
    const adaptation = new OnlineAdaptation(model, { every: 20, steps: 5, episodeSteps: 30, seed: 7 }, trainingData);
    assert.equal(adaptation.options.fit, 'model');
    feed(adaptation, shifted.slice(0, 2));
    const tensors = tf.memory().numTensors;
    feed(adaptation, shifted.slice(2));
    assert.equal(tf.memory().numTensors, tensors, 'adaptation steps leave no tensors behind');
    const out = join(root, `adapted-model-${i}`);
    model.save(out, model.file.trainedSteps + adaptation.totalSteps, 'wasm');
    adaptation.dispose();
    const weights = model.variables().flatMap((v) => Array.from(v.dataSync()));
    model.dispose();
    return { weights, after: kStep(out) };
  });
  const [first, second] = runs;
  // Errors in the readouts' units (not latent ones, which move with the encoder), 5 and 20 steps ahead.
  for (const k of ['5', '20']) assert.ok(first.after[k].model < 0.9 * before[k].model, `k = ${k}: ${before[k].model} → ${first.after[k].model}`);
  assert.deepEqual(second.weights, first.weights, 'the same seed adapts to the same weights');
});

test('adapting the predictor on weak-motor steps lowers surprise on held-out weak-motor steps, deterministically, without leaking tensors', () => {
  const shifted = readEpisodes(weak);
  const heldOut = readEpisodes(weakHeldOut);
  const trainingData = readEpisodes(data);
  const runs = [0, 1].map(() => {
    const model = WorldModel.load(modelDir);
    const before = meanSurprise(model, heldOut);
    const adaptation = new OnlineAdaptation(model, { fit: 'predictor', gate: 'all', every: 20, steps: 5, episodeSteps: 30, learningRate: 0.003, seed: 7 }, trainingData);
    feed(adaptation, shifted.slice(0, 2));
    const tensors = tf.memory().numTensors;
    feed(adaptation, shifted.slice(2));
    assert.equal(tf.memory().numTensors, tensors, 'adaptation steps leave no tensors behind');
    const steps = adaptation.totalSteps;
    adaptation.dispose();
    const result = { before, after: meanSurprise(model, heldOut), steps, weights: predictorWeights(model) };
    model.dispose();
    return result;
  });
  const [first, second] = runs;
  assert.ok(first.steps >= 100, `${first.steps} gradient steps`);
  assert.ok(first.after < 0.8 * first.before, `held-out surprise ${first.before} → ${first.after}`);
  assert.deepEqual(second.weights, first.weights, 'the same seed adapts to the same weights');
});

test('fit action-map learns a weak motor as a gain on the actions, and folding it into the predictors keeps every prediction', () => {
  const model = WorldModel.load(modelDir);
  const heldOut = readEpisodes(weakHeldOut);
  const before = meanSurprise(model, heldOut);
  // The map's own default learning rate.
  const adaptation = new OnlineAdaptation(model, { fit: 'action-map', every: 10, steps: 4, episodeSteps: 50, replay: 0, seed: 7 });
  const weights = predictorWeights(model);
  const tensors = tf.memory().numTensors;
  feed(adaptation, readEpisodes(weak));
  assert.equal(tf.memory().numTensors, tensors, 'action-map steps leave no tensors behind');
  assert.deepEqual(predictorWeights(model), weights, 'the predictor itself does not move');
  // Motors at 0.3: the fitted map's diagonal falls from 1 toward 0.3.
  const map = model.actionMapRows();
  for (let i = 0; i < map.length; i++) assert.ok(map[i][i] < 0.7 && map[i][i] > 0, `diagonal ${JSON.stringify(map)}`);
  const adapted = meanSurprise(model, heldOut);
  assert.ok(adapted < 0.95 * before, `held-out surprise ${before} → ${adapted} (map ${JSON.stringify(map)})`);
  model.bakeActionMap();
  assert.deepEqual(model.actionMapRows(), map.map((row, r) => row.map((_, c) => (r === c ? 1 : 0))), 'baking leaves the identity');
  assert.ok(Math.abs(meanSurprise(model, heldOut) - adapted) < 1e-4 * adapted, 'the baked predictors predict as the map did');
  feed(adaptation, readEpisodes(weak).slice(0, 1));
  assert.ok(adaptation.totalSteps > 0, 'adaptation goes on after a bake');
  adaptation.dispose();
  model.dispose();
});

test('offset drives a repeated transition\'s one-step error to zero, adds one latent vector at every state, and leaves the weights alone', () => {
  const model = WorldModel.load(modelDir);
  const plain = WorldModel.load(modelDir);
  const adaptation = new OnlineAdaptation(model, { offset: 0.2, every: 0, episodeSteps: 0, replay: 0 });
  const weights = predictorWeights(model);
  const [obs, act] = [model.file.spec.observation.names.length, model.file.spec.action.names.length];
  const [e] = readEpisodes(weak);
  const transition = [e.observations.subarray(0, obs), e.actions.subarray(0, act), e.observations.subarray(obs, 2 * obs)] as const;
  adaptation.startEpisode();
  const first = adaptation.transition(...transition).surprise;
  const tensors = tf.memory().numTensors;
  let last = first;
  // Each step removes a fifth of what is left: 0.8^60 ≈ 1.5e-6.
  for (let i = 0; i < 60; i++) last = adaptation.transition(...transition).surprise;
  assert.equal(tf.memory().numTensors, tensors, 'offset updates leave no tensors behind');
  assert.ok(first > 0 && last < 1e-3 * first, `one-step error ${first} → ${last}`);
  assert.deepEqual(predictorWeights(model), weights);
  const step = (m: WorldModel, z: tf.Tensor2D) => m.predict(z, tf.zeros([1, act]) as tf.Tensor2D, true);
  const shiftAt = (input: tf.Tensor2D) =>
    tf.tidy(() => {
      const z = model.encode(input);
      return Array.from(tf.sub(step(model, z), step(plain, z)).dataSync());
    });
  const shift = shiftAt(tf.zeros([1, obs]));
  const elsewhere = shiftAt(tf.ones([1, obs]));
  assert.ok(Math.hypot(...shift) > 0, 'the estimate moved off zero');
  elsewhere.forEach((v, i) => assert.ok(Math.abs(v - shift[i]) < 1e-5, `dimension ${i}: ${v} vs ${shift[i]}`));
  assert.throws(() => model.setLatentOffset([1]), /latent offset: expected/);
  assert.deepEqual(shiftAt(tf.zeros([1, obs])), shift, 'a refused offset keeps the one set');
  model.setLatentOffset(undefined);
  assert.ok(shiftAt(tf.zeros([1, obs])).every((v) => v === 0), 'cleared: the trained model exactly');
  adaptation.dispose();
  model.dispose();
  plain.dispose();
});

test('explore raises the planner\'s exploration factor with the running surprise: 1 while unsurprised, explore when surprised', () => {
  const model = WorldModel.load(modelDir);
  const factor = (threshold: number) => {
    const adaptation = new OnlineAdaptation(model, { explore: 2.5, threshold, every: 0, episodeSteps: 0, replay: 0 });
    const before = adaptation.exploration();
    feed(adaptation, readEpisodes(weak).slice(0, 1));
    const after = adaptation.exploration();
    adaptation.dispose();
    return { before, after };
  };
  // The weak motor's one-step surprise against thresholds far above and far below it.
  assert.deepEqual(factor(100), { before: 1, after: 1 });
  assert.deepEqual(factor(1e-4), { before: 1, after: 2.5 });
  const off = new OnlineAdaptation(model, { threshold: 1e-4, every: 0, episodeSteps: 0, replay: 0 });
  feed(off, readEpisodes(weak).slice(0, 1));
  assert.equal(off.exploration(), 1, 'explore=1 (the default) never raises it');
  off.dispose();
  model.dispose();
});

test('run --adapt with fit action-map (on the readouts) reports the map and --adapt-save writes it into the predictors', () => {
  const saved = join(root, 'mapped');
  const r = spawnSync(process.execPath, [BIN, 'run', '--sim', 'reach-v1', '--sim-opt', 'motor=0.3', '--sim-opt', 'maxSteps=40', '--planner', 'mppi', '--opt', 'samples=8', '--opt', 'horizon=6', '--model', modelDir, '--episodes', '2', '--json', '--adapt', '--adapt-opt', 'fit=action-map', '--adapt-opt', 'loss=readout', '--adapt-opt', 'replay=0', '--adapt-save', saved], { encoding: 'utf8', timeout: 300_000 });
  assert.equal(r.status, 0, r.stderr);
  const map = (JSON.parse(r.stdout) as RunSummary).episodes.at(-1)!.adaptation!.actionMap!;
  assert.ok(map.some((row, i) => Math.abs(row[i] - 1) > 0.05), `the map moved: ${JSON.stringify(map)}`);
  const [original, written] = [WorldModel.load(modelDir), WorldModel.load(saved)];
  // Saved action rows = G · trained action rows (G printed to 3 significant digits).
  const latent = original.latentSize;
  tf.tidy(() => {
    const rows = (m: WorldModel) => tf.slice(m.predictors[0][0].w, [latent, 0], [map.length, -1]);
    const expected = tf.matMul(tf.tensor2d(map), rows(original));
    const gap = tf.max(tf.abs(tf.sub(rows(written), expected))).dataSync()[0];
    const scale = tf.max(tf.abs(expected)).dataSync()[0];
    assert.ok(gap < 0.01 * scale, `saved action rows differ from G·W by ${gap} (scale ${scale})`);
  });
  original.dispose();
  written.dispose();
});

test('run --adapt reports each episode, is deterministic, and --adapt-save writes a model --model loads', () => {
  const itinera = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 300_000 });
  const saved = join(root, 'adapted');
  const args = ['run', '--sim', 'reach-v1', '--sim-opt', 'motor=0.3', '--sim-opt', 'maxSteps=40', '--planner', 'mppi', '--opt', 'samples=8', '--opt', 'horizon=6', '--model', modelDir, '--episodes', '2', '--json', '--adapt', '--adapt-opt', 'every=10', '--adapt-opt', 'gate=all'];
  const runs = [itinera(...args, '--adapt-save', saved), itinera(...args)].map((r) => {
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as RunSummary;
  });
  const episodes = runs.map((s) => s.episodes.map(({ wallMs: _w, planMs: _p, adaptation, ...e }) => ({ ...e, adaptation: { ...adaptation, cpuMs: 0 } })));
  assert.deepEqual(episodes[1], episodes[0], 'same seed, same episodes and adaptation');
  for (const e of runs[0].episodes) {
    assert.ok(e.adaptation, 'each episode reports its adaptation');
    assert.ok(e.adaptation.steps > 0 && e.adaptation.buffered > 0 && e.adaptation.meanSurprise > 0 && e.adaptation.cpuMs >= 0, JSON.stringify(e.adaptation));
  }
  assert.ok(existsSync(join(saved, 'model.json')));
  const reloaded = itinera('run', '--sim', 'reach-v1', '--sim-opt', 'maxSteps=5', '--planner', 'mppi', '--opt', 'samples=8', '--opt', 'horizon=6', '--model', saved, '--json');
  assert.equal(reloaded.status, 0, reloaded.stderr);
  const refused = itinera('run', '--sim', 'reach-v1', '--planner', 'mppi', '--adapt');
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /^itinera: --adapt corrects a learned world model/);
  assert.equal(refused.stderr.trim().split('\n').length, 1);
  // A model whose named training data is not on this machine (a fresh clone): one line that says what to do.
  const moved = join(root, 'moved');
  cpSync(modelDir, moved, { recursive: true });
  const metrics = JSON.parse(readFileSync(join(moved, 'metrics.json'), 'utf8'));
  writeFileSync(join(moved, 'metrics.json'), JSON.stringify({ ...metrics, data: ['../not-collected'] }));
  const short = ['run', '--sim', 'reach-v1', '--sim-opt', 'maxSteps=5', '--planner', 'mppi', '--opt', 'samples=8', '--opt', 'horizon=6', '--model', moved, '--adapt'];
  const missing = itinera(...short);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /^itinera: --adapt replays .*not-collected is not here .*--adapt-opt replay=0/);
  assert.equal(itinera(...short, '--adapt-opt', 'replay=0').status, 0);
});

test('a bench planner with adapt runs its cell in seed order on one learning model and reports adaptation per episode', () => {
  const dir = join(root, 'bench');
  mkdirSync(dir);
  writeFileSync(join(dir, 'tiny-jepa.yaml'), `planner: mppi\noptions: { samples: 8, horizon: 6 }\nworldModels:\n  reach-v1: ${modelDir}\n`);
  const suite = join(dir, 'suite.yaml');
  const planner = join(dir, 'tiny-jepa.yaml');
  writeFileSync(suite, `name: adapt-tiny\nseeds: 2\nscenarios:\n  - { sim: reach-v1, options: { motor: 0.3, maxSteps: 30 } }\nplanners:\n  - { name: ${planner} }\n  - { name: ${planner}, adapt: { every: 10, gate: all } }\n`);
  const r = spawnSync(process.execPath, [BIN, 'bench', '--suite', suite, '--out', join(dir, 'out')], { encoding: 'utf8', timeout: 300_000 });
  assert.equal(r.status, 0, r.stderr);
  const records = readFileSync(join(dir, 'out', 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const adapting = records.filter((x) => x.plannerRun?.adapt);
  assert.equal(adapting.length, 2);
  assert.deepEqual(adapting.map((x) => x.seed), [0, 1], 'seed order');
  for (const x of adapting) assert.ok(x.adaptation.steps > 0, JSON.stringify(x.adaptation));
  assert.ok(records.filter((x) => !x.plannerRun?.adapt).every((x) => x.adaptation === undefined));
  assert.match(readFileSync(join(dir, 'out', 'report.md'), 'utf8'), /adapt=/);
});
