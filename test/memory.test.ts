// Memory flat across episodes in one process (issue 13): what an episode allocates in wasm (Rapier worlds and
// snapshots) or as tensors (a learned model) is released, through runCommand, the code path of `itinera run`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { builtinScenarios, runCommand, type RunArgs } from '@itinera/cli';
import { createEnv, livePhysicsWorlds } from '@itinera/physics';
import { loadBuiltinRobot } from '@itinera/robots';
import { datasetSpec, initBackend, trainConfigSchema, WorldModel } from '@itinera/world-model';
import { watchWasmMemories, wasmMemoryBytes } from '../bench/wasm-memory.mjs';

// Before any Rapier world exists (initPhysics runs at the first env).
watchWasmMemories();

/** A wasm heap grows in 64 KiB pages; the leaks this guards against grew it by megabytes per episode. */
const SLACK = 256 * 1024;

const reach = { sim: 'reach-v1', planner: 'mppi', modelPhysicsDt: 0.02, opt: ['samples=32'], simOpt: ['maxSteps=15'], json: true } satisfies Partial<RunArgs>;

/** Wasm heap growth over `more` episodes after `warm` episodes have grown it to its working size. */
async function wasmGrowth(args: Omit<RunArgs, 'episodes' | 'seed'>, warm: number, more: number): Promise<{ before: number; after: number }> {
  await runCommand({ ...args, episodes: warm, seed: 0 });
  assert.equal(livePhysicsWorlds(), 0, 'every Rapier world of the run is freed');
  const before = wasmMemoryBytes();
  const summary = await runCommand({ ...args, episodes: more, seed: warm });
  assert.equal(summary.episodes.length, more);
  assert.equal(livePhysicsWorlds(), 0, 'every Rapier world of the run is freed');
  return { before, after: wasmMemoryBytes() };
}

test('reach with MPPI on the simulator: the wasm heap stops growing after two episodes and every world is freed', async () => {
  const { before, after } = await wasmGrowth(reach, 2, 6);
  assert.ok(before > 0, 'the Rapier wasm memory is watched');
  assert.ok(after - before <= SLACK, `wasm heap grew ${((after - before) / 2 ** 20).toFixed(2)} MB over 6 episodes (${before} → ${after} bytes)`);
});

test('rooms with the hierarchical rover: the wasm heap stays flat over short episodes', async () => {
  const { before, after } = await wasmGrowth({ sim: 'rooms', planner: 'rover-hierarchical', opt: [], simOpt: ['maxSteps=60'], json: true }, 1, 3);
  assert.ok(after - before <= SLACK, `wasm heap grew ${((after - before) / 2 ** 20).toFixed(2)} MB over 3 episodes (${before} → ${after} bytes)`);
});

test('a learned model: each run loads and frees it, leaving no tensor behind', async () => {
  await initBackend('cpu');
  const scenario = builtinScenarios().get('reach-v1');
  const env = await createEnv(scenario, loadBuiltinRobot('reacher'), {});
  const spec = datasetSpec(env, {});
  env.free();
  // Untrained weights: what a load allocates does not depend on how well the model plans.
  const config = trainConfigSchema.parse({
    model: 'jepa',
    network: { latent: 8, hidden: 32, layers: 1, readoutHidden: 16 },
    readouts: ['error.x', 'error.y', 'qvel.*'],
    cost: [{ name: 'distance', channels: ['error.x', 'error.y'], norm: 'smooth-l2', weight: 1, p: 0.02 }],
  });
  const obs = spec.observation.names.length;
  const normalisation = { obsMean: new Array(obs).fill(0), obsStd: new Array(obs).fill(1) };
  const dir = join(mkdtempSync(join(tmpdir(), 'itinera-memory-')), 'model');
  const created = WorldModel.create({ kind: 'jepa', config, options: {}, spec, normalisation, backend: 'cpu', extraNetworks: {} });
  created.save(dir, 0, 'cpu');
  created.dispose();
  const tensors = tf.memory().numTensors;
  for (let run = 0; run < 2; run++) {
    await runCommand({ ...reach, opt: ['samples=16', 'horizon=10'], simOpt: ['maxSteps=5'], model: dir, backend: 'cpu', episodes: 2, seed: run });
    assert.equal(tf.memory().numTensors, tensors, `tensors left behind after run ${run + 1}`);
  }
});
