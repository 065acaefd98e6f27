// The onnxruntime-node rollout path of a trained world model against the tfjs LatentDynamicsModel it replaces for
// sampling planners: the same costs (to float rounding), the same checks, and the CLI's --rollouts onnx.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isItineraError, Rng, type Env, type OneStepSurprise } from '@itinera/core';
import { runCommand } from '@itinera/cli';
import { createEnv } from '@itinera/physics';
import { loadBuiltinRobot } from '@itinera/robots';
import { reach, reachOptionsSchema } from '@itinera/sim-reach';
import { collect, initBackend, LatentDynamicsModel, loadOnnxRuntime, ObservedEnv, OnnxLatentModel, onnxRolloutGraph, onnxRolloutGraphs, train, trainConfigSchema, WorldModel, type TrainConfig } from '@itinera/world-model';

// Every test needs onnxruntime-node, an optional dependency: without it they are skipped, with the reason.
const unavailable = await loadOnnxRuntime().then(
  () => undefined,
  (error: Error) => error.message,
);
if (unavailable) console.log(`# skipping the onnx rollout tests — ${unavailable}`);
const skip = unavailable ?? false;

const robot = loadBuiltinRobot('reacher');
const scenarioOptions = reachOptionsSchema.parse({}) as Record<string, unknown>;
const root = mkdtempSync(join(tmpdir(), 'itinera-onnx-'));
const data = join(root, 'data');
const single = join(root, 'single');
const ensemble = join(root, 'ensemble');
/** Relative tolerance of ONNX vs tfjs costs (float32 kernels that round differently, over 20 steps). */
const RELATIVE = 1e-4;

/** Latent 8, hidden 32, ~100 steps: seconds to train; an ensemble of 2 for the mean-of-members path. */
const tiny = (ensembleSize: number): TrainConfig =>
  trainConfigSchema.parse({
    model: 'jepa',
    options: { inverseDynamics: 0.1 },
    network: { latent: 8, hidden: 32, layers: 1, readoutHidden: 16, ensemble: ensembleSize },
    readouts: ['error.x', 'error.y', 'qvel.*'],
    cost: [
      { name: 'distance', channels: ['error.x', 'error.y'], norm: 'smooth-l2', weight: 1, p: 0.02 },
      { name: 'velocity', channels: ['qvel.*'], norm: 'quadratic', weight: 0.002 },
      { name: 'effort', action: true, norm: 'quadratic', weight: 0.001 },
    ],
    training: { steps: 100, batch: 24, rolloutSteps: 3, learningRate: 0.003, readoutSteps: 10, readoutBatch: 64, readoutWindows: 400, checkpointEvery: 50, logEvery: 50 },
  });

let env: ObservedEnv;
let start: unknown;

before(async () => {
  if (unavailable) return;
  await initBackend('wasm');
  const live = await createEnv(reach, robot, { scenarioOptions });
  collect(live, data, { steps: 1500, seed: 1, scenarioOptions, episodeSteps: 100 });
  live.free();
  await train({ data, config: tiny(1), out: single, backend: 'wasm' });
  await train({ data, config: tiny(2), out: ensemble, backend: 'wasm' });
  env = new ObservedEnv(await createEnv(reach, robot, { scenarioOptions }));
  env.reset({ seed: 3 });
  env.step([1, -1]);
  start = env.snapshot();
});

after(() => {
  (env as Env | undefined)?.free();
  rmSync(root, { recursive: true, force: true });
});

/** Random actions within the limits, [batch][horizon][act]. */
function randomActions(batch: number, horizon: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const { low, high } = env.actionSpec;
  return Float64Array.from({ length: batch * horizon * low.length }, (_, i) => rng.uniform(low[i % low.length], high[i % low.length]));
}

/** The largest |onnx − tfjs| / |tfjs| over all costs (a 1e-9 floor keeps near-zero costs from dividing by 0). */
function maxRelative(onnx: ArrayLike<number>, tfjs: ArrayLike<number>): number {
  assert.equal(onnx.length, tfjs.length);
  let worst = 0;
  for (let i = 0; i < tfjs.length; i++) worst = Math.max(worst, Math.abs(onnx[i] - tfjs[i]) / Math.max(Math.abs(tfjs[i]), 1e-9));
  return worst;
}

async function parity(dir: string, anchorReadouts: boolean, batch: number, horizon: number): Promise<{ worst: number; tfjs: Float64Array; onnx: Float64Array }> {
  const reference = LatentDynamicsModel.load(dir, anchorReadouts);
  const fast = await OnnxLatentModel.load(dir, { anchorReadouts });
  try {
    const actions = randomActions(batch, horizon, 7);
    const tfjs = reference.rollout(start, actions, batch, horizon).costs as Float64Array;
    const onnx = (await fast.rollout(start, actions, batch, horizon)).costs as Float64Array;
    assert.equal(fast.simulatedSteps, batch * horizon);
    return { worst: maxRelative(onnx, tfjs), tfjs, onnx };
  } finally {
    reference.free();
    fast.free();
  }
}

for (const anchorReadouts of [false, true]) {
  test(`ONNX rollout costs equal the tfjs model's within ${RELATIVE} relative (anchorReadouts ${anchorReadouts})`, { skip }, async (t) => {
    const { worst, tfjs } = await parity(single, anchorReadouts, 64, 20);
    t.diagnostic(`max relative difference ${worst.toExponential(2)} over ${tfjs.length} costs`);
    assert.ok(tfjs.every((c) => Number.isFinite(c) && c >= 0), 'tfjs costs are finite and non-negative');
    assert.ok(worst <= RELATIVE, `max relative difference ${worst}`);
  });
}

test(`ONNX rollouts of a 2-member ensemble (the members' mean latent) equal the tfjs model's within ${RELATIVE}`, { skip }, async (t) => {
  assert.equal(WorldModel.load(ensemble).predictors.length, 2);
  for (const anchorReadouts of [false, true]) {
    const { worst, tfjs } = await parity(ensemble, anchorReadouts, 32, 20);
    t.diagnostic(`anchorReadouts ${anchorReadouts}: max relative difference ${worst.toExponential(2)} over ${tfjs.length} costs`);
    assert.ok(worst <= RELATIVE, `anchorReadouts ${anchorReadouts}: max relative difference ${worst}`);
  }
});

test('the parity check can fail: anchoring, another member count or other weights change the costs well past the tolerance', { skip }, async () => {
  const unanchored = await parity(single, false, 16, 10);
  const anchored = await parity(single, true, 16, 10);
  assert.ok(maxRelative(anchored.onnx, unanchored.tfjs) > 100 * RELATIVE, 'anchoring is applied on the ONNX path');
  const other = await parity(ensemble, false, 16, 10);
  assert.ok(maxRelative(other.onnx, unanchored.tfjs) > 100 * RELATIVE, 'another model gives other costs');
});

test('the ONNX model keeps the DynamicsModel contract and the tfjs model\'s checks; it is not differentiable', { skip }, async () => {
  const model = await OnnxLatentModel.load(single);
  assert.equal(model.kind, 'learned');
  assert.equal(model.differentiable, false);
  assert.equal((model as unknown as { costGradient?: unknown }).costGradient, undefined);
  assert.match(model.description, /^onnxruntime-node \d+\.\d+\.\d+ \(cpu, 1 thread\)$/);
  const tfjs = LatentDynamicsModel.load(single);
  assert.equal(model.anchorReadouts, tfjs.anchorReadouts, 'the same default anchoring as the tfjs model');
  const { observation, action } = tfjs.model.file.spec;
  const filled = (n: number, v: number) => new Float64Array(n).fill(v);
  const surpriseOf = (m: { surprise: OneStepSurprise }) => m.surprise.error(filled(observation.names.length, 0.1), filled(action.names.length, 0.2), filled(observation.names.length, 0.3));
  assert.equal(surpriseOf(model), surpriseOf(tfjs), 'the same level-0 surprise as the tfjs model');
  tfjs.free();
  const [batch, horizon] = [5, 7];
  const actions = randomActions(batch, horizon, 11);
  const copy = Float64Array.from(actions);
  const r1 = await model.rollout(start, actions, batch, horizon);
  assert.equal(r1.costs.length, batch * horizon);
  assert.deepEqual(actions, copy, 'rollout leaves its actions alone');
  assert.deepEqual((await model.rollout(start, actions, batch, horizon)).costs, r1.costs, 'deterministic');
  // Sample 2 alone gives what it gave in the batch: samples are independent.
  const alone = await model.rollout(start, actions.subarray(2 * horizon * 2, 3 * horizon * 2), 1, horizon);
  alone.costs.forEach((c, h) => assert.ok(Math.abs(c - r1.costs[2 * horizon + h]) <= 1e-5 * (1 + Math.abs(c)), `step ${h}`));

  const userError = (pattern: RegExp) => (e: unknown) => isItineraError(e) && pattern.test((e as Error).message);
  const obs = (start as { observation: Float64Array }).observation;
  await assert.rejects(model.rollout(obs.subarray(1), actions, batch, horizon), userError(/expects \d+ observation channels, the env gives/));
  await assert.rejects(model.rollout({ nothing: true }, actions, batch, horizon), userError(/rolls out from an observation/));
  await assert.rejects(model.rollout(start, actions.subarray(1), batch, horizon), userError(/expected \d+ action values/));
  model.free();
  model.free();
  await assert.rejects(model.rollout(start, actions, batch, horizon), /after free/);
});

test('the ONNX graphs are written from the weights: opset 13 Dense layers, one step graph whatever the ensemble size', { skip }, async () => {
  const model = WorldModel.load(ensemble);
  const graphs = await onnxRolloutGraphs(model);
  const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');
  // elu is written as max(x, exp(min(x, 0)) − 1): onnxruntime's own Elu is scalar and several times slower.
  assert.ok(text(graphs.step).includes('predictor.1.0.w') && text(graphs.step).includes('Concat') && text(graphs.step).includes('Exp') && !text(graphs.step).includes('Elu'));
  assert.ok(text(graphs.readout).includes('readout.decoded.0.w') && !text(graphs.readout).includes('predictor'));
  const rollout = text(await onnxRolloutGraph(model, 4));
  assert.ok(rollout.includes('Split') && rollout.includes('predictor.1.0.w') && rollout.includes('readout.decoded.0.w'));
  model.dispose();
});

test('a rollout split over worker threads gives the same bits as one thread, for any batch, horizon and member count (shares of 32 samples at least)', { skip }, async () => {
  for (const dir of [single, ensemble]) {
    const one = await OnnxLatentModel.load(dir);
    const split = [await OnnxLatentModel.load(dir, { threads: 2 }), await OnnxLatentModel.load(dir, { threads: 3 })];
    try {
      assert.match(split[0].description, /\(cpu, 2 threads\)$/);
      for (const [batch, horizon] of [[100, 7], [64, 12], [70, 5], [1, 7], [64, 20]]) {
        const actions = randomActions(batch, horizon, batch + horizon);
        const reference = (await one.rollout(start, actions, batch, horizon)).costs;
        for (const model of split) assert.deepEqual((await model.rollout(start, actions, batch, horizon)).costs, reference, `${model.description}, ${batch} × ${horizon}`);
      }
    } finally {
      for (const model of [one, ...split]) model.free();
    }
  }
});

test('a worker thread that stops ends the rollout with a clear error, not a hang', { skip }, async () => {
  const model = await OnnxLatentModel.load(single, { threads: 2 });
  try {
    const actions = randomActions(64, 5, 1);
    await model.rollout(start, actions, 64, 5);
    await (model as unknown as { workers: Array<{ kill(): Promise<number> }> }).workers[0].kill();
    await assert.rejects(model.rollout(start, actions, 64, 5), (e: unknown) => isItineraError(e) && /onnx rollout worker 1 stopped: exited with code/.test((e as Error).message));
  } finally {
    model.free();
  }
});

test('one rollout at a time: a second call while one runs is refused; free() during a rollout waits for it', { skip }, async () => {
  const model = await OnnxLatentModel.load(single, { threads: 2 });
  const actions = randomActions(64, 6, 2);
  const reference = (await model.rollout(start, actions, 64, 6)).costs;
  const first = model.rollout(start, actions, 64, 6);
  await assert.rejects(model.rollout(start, actions, 64, 6), /one rollout at a time/);
  model.free();
  assert.deepEqual((await first).costs, reference, 'the rollout under way finishes with its own costs');
  await assert.rejects(model.rollout(start, actions, 64, 6), /after free/);
});

test('itinera run --rollouts onnx plans on onnxruntime and says so; the gradient planner is refused with a clear error', { skip }, async () => {
  const common = { sim: 'reach-v1', opt: ['samples=16', 'horizon=5'], simOpt: ['maxSteps=4'], episodes: 1, seed: 0, json: true, model: single, backend: 'wasm' };
  const summary = await runCommand({ ...common, planner: 'mppi', rollouts: 'onnx' });
  assert.match(summary.backend, /^onnxruntime-node \d+\.\d+\.\d+ \(cpu, 1 thread\), encoder and cost on tfjs wasm/);
  assert.equal(summary.episodes[0].steps, 4);
  const tfjs = await runCommand({ ...common, planner: 'mppi', rollouts: 'tfjs' });
  assert.doesNotMatch(tfjs.backend, /onnx/);
  await assert.rejects(runCommand({ ...common, opt: ['horizon=5'], planner: 'gradient', rollouts: 'onnx' }), (e: unknown) => isItineraError(e) && /--rollouts onnx is inference only/.test((e as Error).message));
  await assert.rejects(runCommand({ ...common, planner: 'mppi', rollouts: 'onnx', model: 'sim' }), (e: unknown) => isItineraError(e) && /--rollouts onnx runs a trained world model/.test((e as Error).message));
});

test('--realtime plans a learned model on onnx at wall-clock pace (on tfjs it is refused)', { skip }, async () => {
  const steps = 12;
  const common = { sim: 'reach-v1', planner: 'mppi', opt: ['samples=64', 'horizon=8'], simOpt: [`maxSteps=${steps}`, 'tolerance=0.0001'], episodes: 1, seed: 0, json: true, model: single, backend: 'wasm', realtime: true, threads: 2 };
  const summary = await runCommand({ ...common, rollouts: 'onnx' });
  const [episode] = summary.episodes;
  assert.equal(summary.realtime, true);
  assert.match(summary.backend, /\(cpu, 2 threads\)/);
  assert.equal(episode.steps, steps);
  // reach's control step is 1/50 s: the clock paces the steps.
  assert.ok(episode.wallMs >= (steps - 1) * 20, `wall ${episode.wallMs} ms for ${steps} steps`);
  assert.ok(episode.replans >= 1);
  await assert.rejects(runCommand({ ...common, rollouts: 'tfjs' }), (e: unknown) => isItineraError(e) && /--realtime plans a learned model only with --rollouts onnx/.test((e as Error).message));
});

test('a bench suite runs a planner on onnx rollouts beside tfjs ones (told apart in results and report); with no learned model it is refused', { skip }, () => {
  const bin = join(import.meta.dirname, '..', 'packages', 'cli', 'bin', 'itinera.js');
  const preset = join(root, 'tiny-jepa.yaml');
  writeFileSync(preset, `planner: mppi\noptions: { samples: 16, horizon: 5 }\nworldModels:\n  reach-v1: ${single}\n`);
  const suite = join(root, 'suite.yaml');
  writeFileSync(suite, `name: onnx-tiny\nseeds: 2\nscenarios:\n  - { sim: reach-v1, options: { maxSteps: 4 } }\nplanners:\n  - { name: ${preset} }\n  - { name: ${preset}, rollouts: onnx }\n`);
  const out = join(root, 'bench-out');
  const r = spawnSync(process.execPath, [bin, 'bench', '--suite', suite, '--out', out], { encoding: 'utf8', timeout: 300_000 });
  assert.equal(r.status, 0, r.stderr);
  const records = readFileSync(join(out, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const onnx = records.filter((x) => x.plannerRun?.rollouts === 'onnx');
  assert.equal(onnx.length, 2);
  assert.equal(records.length, 4);
  for (const x of records) assert.equal(x.steps, 4);
  assert.match(readFileSync(join(out, 'report.md'), 'utf8'), /mppi \(rollouts="onnx"\)/);
  writeFileSync(suite, `name: onnx-sim\nseeds: 1\nscenarios:\n  - { sim: reach-v1 }\nplanners:\n  - { name: mppi, rollouts: onnx }\n`);
  const refused = spawnSync(process.execPath, [bin, 'bench', '--suite', suite, '--out', join(root, 'bench-refused')], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /planners\.0\.rollouts: onnx runs a trained world model/);
});
