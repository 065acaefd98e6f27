// --backend wasm-onnx: tfjs-wasm with its matMuls and column sums on onnxruntime's kernels. The same numbers as
// tfjs-wasm to float rounding, and going back to 'wasm' gives wasm's own bits again.
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '@itinera/core';
import { join } from 'node:path';
import { Adam, applyMlp, createMlp, initBackend, loadOnnxRuntime, mlpVariables } from '@itinera/world-model';

// onnxruntime-node is an optional dependency: without it these are skipped, with the reason.
const unavailable = await loadOnnxRuntime().then(
  () => undefined,
  (error: Error) => error.message,
);
if (unavailable) console.log(`# skipping the wasm-onnx tests — ${unavailable}`);
const skip = unavailable ?? false;

/** Products with every transpose, a stack of matrices, an empty one, and column and row sums, as plain arrays. */
function products(): Float32Array[] {
  return tf.tidy(() => {
    const a = tf.tensor2d(Array.from({ length: 37 * 29 }, (_, i) => Math.sin(i * 0.7)), [37, 29]);
    const b = tf.tensor2d(Array.from({ length: 29 * 13 }, (_, i) => Math.cos(i * 0.3)), [29, 13]);
    const stack = tf.tensor3d(Array.from({ length: 2 * 37 * 29 }, (_, i) => Math.sin(i)), [2, 37, 29]);
    return [
      tf.matMul(a, b),
      tf.matMul(a.transpose(), b, true, false),
      tf.matMul(a, b.transpose(), false, true),
      tf.matMul(a.transpose(), b.transpose(), true, true),
      tf.matMul(stack, b),
      tf.matMul(tf.zeros([0, 29]), b),
      tf.sum(a, 0),
      tf.sum(a, 0, true),
      tf.sum(a, 1),
    ].map((t) => t.dataSync() as Float32Array);
  });
}

function maxDifference(x: Float32Array, y: Float32Array): number {
  assert.equal(x.length, y.length);
  return x.reduce((m, v, i) => Math.max(m, Math.abs(v - y[i])), 0);
}

test('wasm-onnx computes the products and sums tfjs-wasm does, and wasm is its own bits again after it', { skip }, async () => {
  await initBackend('wasm');
  const wasm = products();
  const wasmMatMul = tf.getKernel('BatchMatMul', 'wasm')!.kernelFunc;
  const info = await initBackend('wasm-onnx');
  assert.equal(info.name, 'wasm-onnx');
  assert.equal(tf.getBackend(), 'wasm');
  assert.match(info.description, /onnxruntime/);
  const onnx = products();
  onnx.forEach((p, i) => assert.ok(maxDifference(p, wasm[i]) < 1e-5, `result ${i}: ${maxDifference(p, wasm[i])}`));
  assert.notEqual(tf.getKernel('BatchMatMul', 'wasm')!.kernelFunc, wasmMatMul, 'the products ran on onnxruntime');
  await initBackend('wasm');
  assert.equal(tf.getKernel('BatchMatMul', 'wasm')!.kernelFunc, wasmMatMul);
  products().forEach((p, i) => assert.deepEqual(Array.from(p), Array.from(wasm[i]), `result ${i} after going back`));
});

/** The loss after 150 Adam steps fitting an MLP to a fixed random map, from the same seed. */
function fitLoss(): number {
  const rng = new Rng(3);
  const mlp = createMlp([8, 32, 32, 4], rng);
  const x = tf.tensor2d(Float32Array.from({ length: 64 * 8 }, () => rng.normal()), [64, 8]);
  const y = tf.tanh(tf.matMul(x, tf.tensor2d(Float32Array.from({ length: 8 * 4 }, () => rng.normal()), [8, 4])));
  const adam = new Adam(mlpVariables(mlp), 3e-3);
  let loss = NaN;
  for (let s = 0; s < 150; s++) {
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => tf.losses.meanSquaredError(y, applyMlp(mlp, x, 'elu')) as tf.Scalar, mlpVariables(mlp));
      adam.apply(grads);
      loss = value.dataSync()[0];
    });
  }
  for (const t of [x, y, ...mlpVariables(mlp)]) t.dispose();
  adam.dispose();
  return loss;
}

test('training on wasm-onnx follows the same course as on wasm', { skip }, async () => {
  await initBackend('wasm');
  const wasm = fitLoss();
  await initBackend('wasm-onnx');
  const onnx = fitLoss();
  await initBackend('wasm');
  assert.ok(wasm < 0.05, `the fit works (${wasm})`);
  assert.ok(Math.abs(onnx - wasm) < 0.01 * wasm, `losses ${onnx} vs ${wasm}`);
});

test("'auto' never picks wasm-onnx: its bits depend on the CPU", async () => {
  const info = await initBackend('auto');
  assert.notEqual(info.name, 'wasm-onnx');
});

test('wasm-onnx as the first backend of a process: the wasm kernels it hands work back to are set up', { skip }, () => {
  // A stack of products and a row sum go back to tfjs-wasm's own kernels, which only the backend's first
  // initialisation sets up.
  const script = `
    import * as tf from '@tensorflow/tfjs';
    import { initBackend } from '@itinera/world-model';
    await initBackend('wasm-onnx');
    const stack = tf.matMul(tf.ones([2, 3, 4]), tf.ones([2, 4, 5])).dataSync();
    const rows = tf.sum(tf.ones([3, 4]), 1).dataSync();
    const columns = tf.sum(tf.ones([3, 4]), 0).dataSync();
    console.log(JSON.stringify([stack[0], stack.length, Array.from(rows), Array.from(columns)]));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd: join(import.meta.dirname, '..'), timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout.trim().split('\n').pop()!), [4, 30, [4, 4, 4], [3, 3, 3, 3]]);
});
