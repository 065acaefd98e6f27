// Adam's update as one wasm SIMD kernel on tfjs-wasm's heap (adam-kernel.ts): the same bits as the eight tfjs kernels
// it replaces, whatever the variable's size (the SIMD loop takes four elements at a time, the rest one by one).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Adam, initBackend } from '@itinera/world-model';

/** Fifty Adam steps on variables of several shapes from fixed gradients; the variables and moments after. */
function adamSteps(fused: boolean): Float32Array[] {
  return tf.tidy(() => {
    const shapes = [[64, 32], [7], [3, 5], [1], [256]];
    const vars = shapes.map((shape, k) => tf.variable(tf.tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i + k)), shape)));
    const adam = new Adam(vars, 1e-3);
    adam.fusedUpdate = fused;
    for (let s = 0; s < 50; s++) {
      // A subset on some steps (per-variable bias correction), a scaled rate on others.
      const grads = Object.fromEntries(vars.filter((_, k) => s % 5 !== 0 || k % 2 === 0).map((v, k) => [v.name, tf.sin(tf.mul(v, 3 + s + k))]));
      adam.apply(grads, s % 7 === 0 ? 0.5 : 1);
    }
    const out = [...vars, ...adam.m, ...adam.v].map((v) => v.dataSync() as Float32Array);
    adam.dispose();
    vars.forEach((v) => v.dispose());
    return out;
  });
}

test('on wasm an Adam update is one SIMD kernel with the same bits as its eight tfjs kernels', async () => {
  await initBackend('wasm');
  const eight = adamSteps(false);
  const one = adamSteps(true);
  assert.equal(one.length, eight.length);
  one.forEach((t, i) => assert.deepEqual(Array.from(t), Array.from(eight[i]), `tensor ${i}`));
  // It changed them: the variables moved from where they started.
  assert.notDeepEqual(Array.from(one[0]).slice(0, 4), [0, 1, 2, 3].map((i) => Math.fround(Math.sin(i))));
});
