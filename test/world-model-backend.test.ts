import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { isItineraError } from '@itinera/core';
import { initBackend, useMatMulGradient } from '@itinera/world-model';

test('auto picks the first backend that loads and says why the others did not', async () => {
  const info = await initBackend('auto');
  assert.ok(['node-gpu', 'node', 'wasm', 'cpu'].includes(info.name));
  assert.equal(tf.getBackend(), info.tfName);
  // Without the native library the optional packages fail on import: skipped, with a reason.
  if (info.name === 'wasm') assert.ok('node' in info.skipped && 'node-gpu' in info.skipped, JSON.stringify(info.skipped));
});

test('--backend forces one, and an unavailable one is a clear user error', async () => {
  const auto = await initBackend('auto');
  if ('node' in auto.skipped) await assert.rejects(initBackend('node'), (e: unknown) => isItineraError(e) && /--backend node is not available here/.test((e as Error).message));
  assert.equal((await initBackend('cpu')).name, 'cpu');
  assert.equal(tf.getBackend(), 'cpu');
  assert.equal((await initBackend('wasm')).name, 'wasm');
  assert.equal(tf.getBackend(), 'wasm');
});

/** Gradients of a loss through matMuls with every transpose combination, 2-D and batched. */
function gradients(): Float32Array[] {
  return tf.tidy(() => {
    const a = tf.tensor(Array.from({ length: 2 * 5 * 7 }, (_, i) => Math.sin(i * 1.3)), [2, 5, 7]);
    const b = tf.tensor(Array.from({ length: 2 * 7 * 3 }, (_, i) => Math.cos(i * 0.7)), [2, 7, 3]);
    const w = tf.tensor(Array.from({ length: 6 * 4 }, (_, i) => Math.sin(i * 0.37 + 1)), [6, 4]);
    const x = tf.tensor(Array.from({ length: 5 * 6 }, (_, i) => Math.cos(i * 0.11)), [5, 6]);
    const f = (a: tf.Tensor, b: tf.Tensor, w: tf.Tensor, x: tf.Tensor) => {
      const plain = tf.matMul(a, b);
      const tA = tf.matMul(tf.transpose(a, [0, 2, 1]), tf.transpose(a, [0, 2, 1]), true, false);
      const tB = tf.matMul(b, b, true, false);
      const both = tf.matMul(x, w, false, false).matMul(w, false, true);
      const tt = tf.matMul(w, x, true, true);
      return tf.addN([plain.square().sum(), tA.sum(), tB.sin().sum(), both.square().mean(), tt.sum()]) as tf.Scalar;
    };
    return tf.grads(f)([a, b, w, x]).map((g) => g.dataSync() as Float32Array);
  });
}

for (const backend of ['cpu', 'wasm'] as const) {
  test(`the explicit-transpose BatchMatMul gradient is bit-identical to the stock one on ${backend}`, async () => {
    await initBackend(backend);
    useMatMulGradient('stock');
    const stock = gradients();
    useMatMulGradient('explicit-transpose');
    const patched = gradients();
    assert.equal(stock.length, patched.length);
    stock.forEach((g, i) => assert.deepEqual(Array.from(patched[i]), Array.from(g), `gradient ${i}`));
  });
}
