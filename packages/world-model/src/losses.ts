// Loss pieces the model kinds share.
import * as tf from '@tensorflow/tfjs';

export function mse(a: tf.Tensor, b: tf.Tensor): tf.Scalar {
  return tf.mean(tf.squaredDifference(a, b));
}

/** Mean over the rolled-out steps and ensemble members of mse(prediction, target of that frame). */
export function rolloutError(rolled: tf.Tensor2D[][], targetOf: (frame: number) => tf.Tensor2D, map: (z: tf.Tensor2D) => tf.Tensor2D = (z) => z): tf.Scalar {
  const terms = rolled.flatMap((member) => member.map((z, k) => mse(map(z), targetOf(k + 1))));
  return tf.div(tf.addN(terms), terms.length);
}

/** VICReg variance: hinge on each latent dimension's std across the batch, so no dimension collapses. */
export function varianceHinge(z: tf.Tensor2D): tf.Scalar {
  const std = tf.sqrt(tf.add(tf.moments(z, 0).variance, 1e-4));
  return tf.mean(tf.relu(tf.sub(1, std)));
}

/** VICReg covariance: squared off-diagonal covariances / dims, so dimensions carry different information. */
export function offDiagonalCovariance(z: tf.Tensor2D): tf.Scalar {
  const [n, d] = z.shape;
  const centred = tf.sub(z, tf.mean(z, 0));
  // Explicit transpose: a transposed matMul is the slow path on wasm.
  const cov = tf.div(tf.matMul(tf.transpose(centred), centred), n - 1);
  const offDiagonal = tf.mul(cov, tf.sub(1, tf.eye(d)));
  return tf.div(tf.sum(tf.square(offDiagonal)), d);
}

/** Stops gradients: the identity forward, zero backward (tfjs has no stopGradient op). */
export const stopGradient = tf.customGrad(((x: tf.Tensor) => ({
  value: tf.clone(x),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
})) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor2D) => tf.Tensor2D;

/** tf.split / tf.concat along rows, typed for 2-D tensors. */
export const splitRows = (x: tf.Tensor2D, n: number): tf.Tensor2D[] => tf.split(x, n, 0) as tf.Tensor2D[];
export const concatRows = (xs: tf.Tensor2D[]): tf.Tensor2D => tf.concat(xs, 0);
