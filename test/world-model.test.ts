import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { isItineraError, parseWithSchema, Rng, type DynamicsModel, type Env } from '@itinera/core';
import { gradientPlanner, mppiPlanner } from '@itinera/mpc';
import { createEnv, SimulatorModel } from '@itinera/physics';
import { loadBuiltinRobot } from '@itinera/robots';
import { runEpisode } from '@itinera/runtime';
import { reach, reachOptionsSchema } from '@itinera/sim-reach';
import { collect, EnsembleDisagreement, evaluateModel, initBackend, LatentDynamicsModel, readEpisodes, readManifest, ObservedEnv, train, trainConfigSchema, WorldModel, type TrainConfig } from '@itinera/world-model';

const BIN = join(import.meta.dirname, '..', 'packages', 'cli', 'bin', 'itinera.js');
const robot = loadBuiltinRobot('reacher');
const scenarioOptions = reachOptionsSchema.parse({}) as Record<string, unknown>;
const root = mkdtempSync(join(tmpdir(), 'itinera-wm-'));
const data = join(root, 'data');
const heldOut = join(root, 'held-out');
const modelDir = join(root, 'model');

/** A model small enough to train in seconds. */
const tiny = (kind: string, steps = 120, extra: Partial<TrainConfig['training']> = {}): TrainConfig =>
  trainConfigSchema.parse({
    model: kind,
    options: kind === 'jepa' ? { inverseDynamics: 0.1 } : {},
    network: { latent: 8, hidden: 32, layers: 1, readoutHidden: 16 },
    readouts: ['error.x', 'error.y', 'qvel.*'],
    cost: [
      { name: 'distance', channels: ['error.x', 'error.y'], norm: 'smooth-l2', weight: 1, p: 0.02 },
      { name: 'velocity', channels: ['qvel.*'], norm: 'quadratic', weight: 0.002 },
      { name: 'effort', action: true, norm: 'quadratic', weight: 0.001 },
    ],
    training: { steps, batch: 24, rolloutSteps: 3, learningRate: 0.003, readoutSteps: 10, readoutBatch: 64, readoutWindows: 400, checkpointEvery: 40, logEvery: 20, ...extra },
  });

before(async () => {
  await initBackend('wasm');
  const env = await createEnv(reach, robot, { scenarioOptions });
  collect(env, data, { steps: 2000, seed: 1, scenarioOptions, episodeSteps: 100 });
  collect(env, heldOut, { steps: 1000, seed: 2, scenarioOptions, episodeSteps: 100 });
  env.free();
  await train({ data, config: tiny('jepa', 200), out: modelDir, backend: 'wasm' });
});

test('save → load round-trips to identical predictions and identical weights', () => {
  const a = LatentDynamicsModel.load(modelDir);
  const copy = join(root, 'copy');
  a.model.save(copy, a.model.file.trainedSteps, 'wasm');
  const b = LatentDynamicsModel.load(copy);
  const obs = new Float64Array(a.model.file.spec.observation.names.length).map((_, i) => Math.sin(i));
  const actions = new Float64Array(4 * 10 * 2).map((_, i) => Math.cos(i));
  assert.deepEqual(b.rollout(obs, actions, 4, 10).costs, a.rollout(obs, actions, 4, 10).costs);
  assert.deepEqual(readFileSync(join(copy, 'weights.bin')), readFileSync(join(modelDir, 'weights.bin')));
  a.free();
  b.free();
});

test('a trained tiny model beats the constant-velocity baseline on held-out data, without collapsing', () => {
  const e = evaluateModel(modelDir, heldOut, 'wasm', 500);
  for (const k of ['5', '20']) assert.ok(e.kStep[k].model < e.kStep[k].constantVelocity, `k=${k}: model ${e.kStep[k].model} vs constant velocity ${e.kStep[k].constantVelocity}`);
  assert.ok(e.latent.effectiveRank > 2, `effective rank ${e.latent.effectiveRank}`);
  assert.equal(e.latent.std.length, 8);
});

test('an interrupted run resumes to exactly the weights of an unbroken one (in process and after kill -9)', async () => {
  const config = tiny('jepa', 30, { checkpointEvery: 10, logEvery: 10 });
  const straight = join(root, 'straight');
  const broken = join(root, 'broken');
  await train({ data, config, out: straight, backend: 'wasm' });
  await train({ data, config, out: broken, backend: 'wasm', stopAfter: 25 });
  await assert.rejects(train({ data, config, out: broken, backend: 'wasm' }), (e: unknown) => isItineraError(e) && /--resume/.test((e as Error).message));
  const resumed = await train({ data, config, out: broken, backend: 'wasm', resume: true });
  assert.equal(resumed.resumedFrom, 20, 'continues from the last checkpoint');
  assert.deepEqual(readFileSync(join(broken, 'weights.bin')), readFileSync(join(straight, 'weights.bin')));
  const metrics = JSON.parse(readFileSync(join(broken, 'metrics.json'), 'utf8'));
  assert.deepEqual(metrics.history.map((h: { step: number }) => h.step), [10, 20, 30, 40], '30 world-model steps, then 10 readout steps');

  // The CLI, killed with SIGKILL once a checkpoint exists, then resumed.
  const file = join(root, 'tiny.yaml');
  writeFileSync(file, JSON.stringify(tiny('jepa', 50, { checkpointEvery: 5 })));
  const killed = join(root, 'killed');
  const child = spawn(process.execPath, [BIN, 'train', '--data', data, '--config', file, '--out', killed, '--backend', 'wasm'], { stdio: 'ignore' });
  await new Promise<void>((resolve) => {
    const poll = setInterval(() => {
      if (existsSync(join(killed, 'checkpoint.json'))) {
        clearInterval(poll);
        child.kill('SIGKILL');
        resolve();
      }
    }, 20);
  });
  await new Promise((resolve) => child.on('exit', resolve));
  const after = await train({ data, config: tiny('jepa', 50, { checkpointEvery: 5 }), out: killed, backend: 'wasm', resume: true });
  assert.ok(after.resumedFrom >= 5 && after.resumedFrom < 60, `resumed from ${after.resumedFrom}`);
  const reference = join(root, 'reference');
  await train({ data, config: tiny('jepa', 50, { checkpointEvery: 5 }), out: reference, backend: 'wasm' });
  assert.deepEqual(readFileSync(join(killed, 'weights.bin')), readFileSync(join(reference, 'weights.bin')));
});

test("a plug-in's training state is checkpointed with the weights: an EMA-target run resumes to the unbroken run's weights", async () => {
  const config = { ...tiny('jepa', 20, { checkpointEvery: 8, logEvery: 4, readoutSteps: 4 }), options: { antiCollapse: 'ema', emaDecay: 0.9 } };
  const straight = join(root, 'ema-straight');
  const broken = join(root, 'ema-broken');
  await train({ data, config, out: straight, backend: 'wasm' });
  await train({ data, config, out: broken, backend: 'wasm', stopAfter: 13 });
  const resumed = await train({ data, config, out: broken, backend: 'wasm', resume: true });
  assert.equal(resumed.resumedFrom, 8);
  assert.deepEqual(readFileSync(join(broken, 'weights.bin')), readFileSync(join(straight, 'weights.bin')));
});

test('--init starts from a trained model: its normalisation carries over and it starts ahead of fresh weights; a different network is refused', async () => {
  const config = tiny('jepa', 20, { logEvery: 20, checkpointEvery: 20, readoutSteps: 2 });
  const fresh = await train({ data: heldOut, config, out: join(root, 'fresh'), backend: 'wasm' });
  const warm = await train({ data: heldOut, config, out: join(root, 'warm'), init: modelDir, backend: 'wasm' });
  const total = (h: { validation?: Record<string, number> }) => Object.values(h.validation!).reduce((a, b) => a + b, 0);
  assert.ok(total(warm.history[0]) < total(fresh.history[0]), `warm ${total(warm.history[0])} vs fresh ${total(fresh.history[0])} after 20 steps`);
  assert.equal(warm.initFrom, '../model');
  const normalisation = (dir: string) => JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).normalisation;
  assert.deepEqual(normalisation(join(root, 'warm')), normalisation(modelDir));
  const wider = { ...config, network: { ...config.network, latent: 16 } };
  await assert.rejects(train({ data: heldOut, config: wider, out: join(root, 'wider'), init: modelDir, backend: 'wasm' }), (e: unknown) => isItineraError(e) && /--init .*networks differ/.test((e as Error).message));
});

/** The DynamicsModel contract, the same for the simulator and a learned model. */
async function checkDynamicsModel(model: DynamicsModel, start: unknown, actionHigh: Float64Array): Promise<string[]> {
  const problems: string[] = [];
  const a = actionHigh.length;
  const rng = new Rng(0);
  const batch = 5;
  const horizon = 7;
  const actions = Float64Array.from({ length: batch * horizon * a }, (_, i) => rng.uniform(-1, 1) * actionHigh[i % a]);
  const copy = Float64Array.from(actions);
  const r1 = await model.rollout(start, actions, batch, horizon);
  if (r1.costs.length !== batch * horizon) problems.push(`costs has ${r1.costs.length} values, expected ${batch * horizon}`);
  if (!r1.costs.every((c) => Number.isFinite(c) && c >= 0)) problems.push('costs are not all finite and non-negative');
  if (r1.terminated && r1.terminated.length !== batch) problems.push('terminated is not one flag per sample');
  if (!actions.every((v, i) => v === copy[i])) problems.push('rollout changed its actions');
  const r2 = await model.rollout(start, actions, batch, horizon);
  if (!r2.costs.every((c, i) => c === r1.costs[i])) problems.push('not deterministic');
  const single = await model.rollout(start, actions.subarray(2 * horizon * a, 3 * horizon * a), 1, horizon);
  if (!single.costs.every((c, h) => Math.abs(c - r1.costs[2 * horizon + h]) <= 1e-5 * (1 + Math.abs(c)))) problems.push('a sample depends on the others in its batch');
  try {
    await model.rollout(start, actions.subarray(1), batch, horizon);
    problems.push('accepted a wrong number of action values');
  } catch (e) {
    if (!isItineraError(e)) problems.push(`a wrong action count threw a non-user error: ${e}`);
  }
  return problems;
}

test('the latent model and the simulator pass the same DynamicsModel contract check from the same start', async () => {
  const env = new ObservedEnv(await createEnv(reach, robot, { scenarioOptions }));
  const sim = await SimulatorModel.create(reach, robot, { scenarioOptions });
  const latent = LatentDynamicsModel.load(modelDir);
  env.reset({ seed: 3 });
  env.step([1, -1]);
  const start = env.snapshot();
  // The simulator restores the physics state inside; the latent model reads the observation beside it.
  assert.deepEqual(await checkDynamicsModel(sim, start.inner, env.actionSpec.high), []);
  assert.deepEqual(await checkDynamicsModel(latent, start, env.actionSpec.high), []);
  assert.equal(latent.differentiable, true);
  assert.equal(sim.differentiable, false);
  latent.free();
  sim.free();
  env.free();
});

test('costGradient matches finite differences of the cost', () => {
  const latent = LatentDynamicsModel.load(modelDir);
  const obs = new Float64Array(latent.model.file.spec.observation.names.length).map((_, i) => 0.3 * Math.sin(i));
  const actions = Float64Array.from({ length: 2 * 6 * 2 }, (_, i) => Math.sin(i * 0.7));
  const { costs, gradient } = latent.costGradient(obs, actions, 2, 6);
  const total = (x: Float64Array) => latent.costGradient(obs, x, 2, 6).costs;
  for (const j of [0, 5, 13, 22]) {
    const eps = 0.05;
    const up = Float64Array.from(actions);
    up[j] += eps;
    const down = Float64Array.from(actions);
    down[j] -= eps;
    const s = Math.floor(j / 12);
    const fd = (total(up)[s] - total(down)[s]) / (2 * eps);
    assert.ok(Math.abs(fd - gradient[j]) <= 0.05 * Math.abs(fd) + 1e-4, `action ${j}: fd ${fd} vs ${gradient[j]}`);
  }
  assert.ok(costs.every(Number.isFinite));
  latent.free();
});

test('no tensors leak across an episode: MPPI and the gradient planner on the latent model', async () => {
  const env: Env = new ObservedEnv(await createEnv(reach, robot, { scenarioOptions, maxSteps: 12 }));
  const latent = LatentDynamicsModel.load(modelDir);
  const context = { actionSpec: env.actionSpec, observationSpec: env.observationSpec, controlDt: env.controlDt, rng: new Rng(0), model: latent };
  const planners = [
    mppiPlanner.create(parseWithSchema(mppiPlanner.schema, { ...mppiPlanner.defaults, samples: 16, horizon: 10 }, 'mppi'), context),
    gradientPlanner.create(parseWithSchema(gradientPlanner.schema, { ...gradientPlanner.defaults, starts: 2, iterations: 3, horizon: 10 }, 'gradient'), context),
  ];
  for (const planner of planners) {
    await runEpisode(env, planner, { seed: 1 });
    const before = tf.memory().numTensors;
    const episode = await runEpisode(env, planner, { seed: 2 });
    assert.equal(episode.failure === 'planner-error', false, `${planner.name}: ${JSON.stringify(episode)}`);
    assert.equal(episode.steps, 12);
    assert.equal(tf.memory().numTensors, before, `${planner.name} leaked tensors`);
  }
  latent.free();
  env.free();
});

test('a model refuses an env it was not trained for, and the recon kind trains on the same data', async () => {
  const recon = join(root, 'recon');
  const m = await train({ data, config: tiny('recon', 30), out: recon, backend: 'wasm' });
  assert.ok(['current', 'next', 'readout'].every((t) => t in m.final.train || t in (m.final.validation ?? {})), JSON.stringify(m.final));
  const model = WorldModel.load(recon);
  assert.ok('decoder' in model.networks);
  model.dispose();
  const latent = LatentDynamicsModel.load(recon);
  assert.throws(() => latent.rollout(new Float64Array(3), new Float64Array(2 * 2), 1, 2), (e: unknown) => isItineraError(e) && /observation channels/.test((e as Error).message));
  latent.free();
});

test('several datasets of one scenario train as one (each gives its validation share); a dataset with other channels is refused', async () => {
  const one = await train({ data, config: tiny('jepa', 20), out: join(root, 'one-dataset'), backend: 'wasm' });
  const both = await train({ data: [data, heldOut], config: tiny('jepa', 20), out: join(root, 'two-datasets'), backend: 'wasm' });
  assert.equal(both.dataSteps, readManifest(data)!.steps + readManifest(heldOut)!.steps);
  assert.ok(both.trainWindows > one.trainWindows && both.validationWindows > one.validationWindows, JSON.stringify([one.trainWindows, both.trainWindows, one.validationWindows, both.validationWindows]));
  const distractedOptions = reachOptionsSchema.parse({ distractors: 2 }) as Record<string, unknown>;
  const env = await createEnv(reach, robot, { scenarioOptions: distractedOptions });
  const distracted = join(root, 'distracted');
  collect(env, distracted, { steps: 200, seed: 3, scenarioOptions: distractedOptions, episodeSteps: 100 });
  env.free();
  await assert.rejects(train({ data: [data, distracted], config: tiny('jepa', 20), out: join(root, 'mixed'), backend: 'wasm' }), (e: unknown) => isItineraError(e) && /distracted cannot be trained on with .*observation channels differ/.test((e as Error).message));
});

test('anchored readouts: a constant readout bias leaves planned costs unchanged (offset-free MPC); unanchored, it does not', () => {
  const obs = new Float64Array(LatentDynamicsModel.load(modelDir).model.file.spec.observation.names.length).map((_, i) => 0.2 * Math.cos(i));
  const actions = Float64Array.from({ length: 3 * 8 * 2 }, (_, i) => Math.sin(i * 0.9));
  const costs = (anchor: boolean, bias: number) => {
    const latent = LatentDynamicsModel.load(modelDir, anchor);
    const last = latent.model.networks.readout.at(-1)!.b;
    // Shift every decoded channel (e.g. the fingertip error by a few centimetres) without touching the dynamics.
    tf.tidy(() => last.assign(tf.add(last, bias)));
    const c = latent.rollout(obs, actions, 3, 8).costs;
    latent.free();
    return c;
  };
  const anchored = costs(true, 0);
  const shifted = costs(true, 0.3);
  anchored.forEach((c, i) => assert.ok(Math.abs(c - shifted[i]) <= 1e-4 * Math.abs(c) + 1e-6, `step ${i}: ${c} vs ${shifted[i]}`));
  const plain = costs(false, 0);
  assert.ok(costs(false, 0.3).some((c, i) => Math.abs(c - plain[i]) > 1e-3 * Math.abs(plain[i])), 'an unanchored model should feel the bias');
  // Models trained without a planning section anchor by default.
  assert.equal(LatentDynamicsModel.load(modelDir).anchorReadouts, true);
});

test('curiosity collection follows what an ensemble disagrees on, records its policy, and needs an ensemble', async () => {
  const ensembleDir = join(root, 'ensemble');
  const config = tiny('jepa', 80);
  await train({ data, config: { ...config, network: { ...config.network, ensemble: 3 } }, out: ensembleDir, backend: 'wasm' });
  const curiosity = new EnsembleDisagreement(WorldModel.load(ensembleDir), ensembleDir);
  const env = await createEnv(reach, robot, { scenarioOptions });
  const plain = join(root, 'plain-noise');
  const curious = join(root, 'curious');
  collect(env, plain, { steps: 300, seed: 7, scenarioOptions, episodeSteps: 100 });
  collect(env, curious, { steps: 300, seed: 7, scenarioOptions, episodeSteps: 100, curiosity });
  // Mean disagreement over each five-step stretch the explorer committed to, scored by the same ensemble.
  const disagreement = (dir: string) => {
    let sum = 0;
    let n = 0;
    for (const e of readEpisodes(dir)) {
      const o = e.observations.length / (e.steps + 1);
      for (let t = 0; t + 5 <= e.steps; t += 5, n++) sum += curiosity.score(e.observations.subarray(t * o, (t + 1) * o), e.actions.slice(t * 2, (t + 5) * 2), 1, 5)[0];
    }
    return sum / n;
  };
  const [noise, steered] = [disagreement(plain), disagreement(curious)];
  assert.ok(steered > 1.3 * noise, `curiosity ${steered} vs noise ${noise}`);
  assert.equal(readManifest(curious)!.chunks[0].policy, `curiosity (${ensembleDir})`);
  assert.equal(readManifest(plain)!.chunks[0].policy, 'coloured-noise');
  curiosity.dispose();
  env.free();
  assert.throws(() => new EnsembleDisagreement(WorldModel.load(modelDir), modelDir), (e: unknown) => isItineraError(e) && /ensemble/.test((e as Error).message));
});

test('readoutShaping makes the latents carry the decoded channels: rolled-out readouts on held-out data come closer', async () => {
  const shaped = join(root, 'shaped');
  await train({ data, config: tiny('jepa', 200, { readoutShaping: 1 }), out: shaped, backend: 'wasm' });
  const [plain, withShaping] = [modelDir, shaped].map((dir) => evaluateModel(dir, heldOut, 'wasm', 500));
  for (const k of ['5', '20']) assert.ok(withShaping.kStep[k].model < plain.kStep[k].model, `k=${k}: shaped ${withShaping.kStep[k].model} vs plain ${plain.kStep[k].model}`);
  const history = JSON.parse(readFileSync(join(shaped, 'metrics.json'), 'utf8')).history as Array<{ train: Record<string, number> }>;
  assert.ok(history.some((h) => 'shaping' in h.train), 'the shaping term is logged');
});
