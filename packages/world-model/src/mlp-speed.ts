// The backend's raw training speed, apart from any world model: Adam steps per second on a plain MLP (ReLU, MSE),
// with the trainer's own Adam (adam.ts), a number to set beside the same network's step in another library
// (bench/models.ts compares PyTorch).
import * as tf from '@tensorflow/tfjs';
import { Rng } from '@itinera/core';
import { Adam } from './adam.js';

/** Steps/s of Adam on an MLP of `sizes` (input → hidden… → output) at `batch`, over `steps` after 5 warm-up steps. */
export function mlpStepsPerSecond(sizes: readonly number[] = [64, 256, 256, 32], batch = 256, steps = 40): number {
  const rng = new Rng(0);
  const layers = sizes.slice(1).map((out, l) => ({ w: tf.variable(tf.tensor2d(Float32Array.from({ length: sizes[l] * out }, () => rng.normal(0, 0.05)), [sizes[l], out])), b: tf.variable(tf.zeros([out])) }));
  const x = tf.tensor2d(Float32Array.from({ length: batch * sizes[0] }, () => rng.normal()), [batch, sizes[0]]);
  const y = tf.tensor2d(Float32Array.from({ length: batch * sizes[sizes.length - 1] }, () => rng.normal()), [batch, sizes[sizes.length - 1]]);
  const vars = layers.flatMap(({ w, b }) => [w, b]);
  const optimiser = new Adam(vars, 1e-3);
  const step = () =>
    tf.tidy(() => {
      const { grads } = tf.variableGrads(() => {
        let h: tf.Tensor2D = x;
        layers.forEach(({ w, b }, l) => {
          h = tf.add(tf.matMul(h, w), b);
          if (l + 1 < layers.length) h = tf.relu(h);
        });
        return tf.losses.meanSquaredError(y, h) as tf.Scalar;
      }, vars);
      optimiser.apply(grads);
    });
  for (let i = 0; i < 5; i++) step();
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) step();
  const rate = (steps * 1000) / (performance.now() - t0);
  for (const t of [...vars, x, y]) t.dispose();
  optimiser.dispose();
  return rate;
}
