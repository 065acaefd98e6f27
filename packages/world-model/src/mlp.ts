// Plain dense networks on raw tensors (Layers models cost ~35% more per step): a list of {w, b} variables.
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '@itinera/core';

export type Activation = 'elu' | 'relu' | 'tanh';

export interface Dense {
  w: tf.Variable;
  b: tf.Variable;
}

export type Mlp = Dense[];

/** He-style normal init from the project's Rng; `lastScale` shrinks the output layer (residual predictors start near identity). */
export function createMlp(sizes: readonly number[], rng: Rng, lastScale = 1): Mlp {
  const layers: Mlp = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const [fanIn, fanOut] = [sizes[l], sizes[l + 1]];
    const std = Math.sqrt(2 / fanIn) * (l + 2 === sizes.length ? lastScale : 1);
    const w = Float32Array.from({ length: fanIn * fanOut }, () => rng.normal(0, std));
    // A variable shares its initial tensor's data and leaves that tensor alive: tidy disposes it (the variables stay).
    layers.push(tf.tidy(() => ({ w: tf.variable(tf.tensor2d(w, [fanIn, fanOut])), b: tf.variable(tf.zeros([fanOut])) })));
  }
  return layers;
}

function activate(x: tf.Tensor2D, activation: Activation): tf.Tensor2D {
  return activation === 'elu' ? tf.elu(x) : activation === 'relu' ? tf.relu(x) : tf.tanh(x);
}

/** The differentiable path: plain matMul (no transposes, no fused kernels) so gradients take the fast route. */
export function applyMlp(mlp: Mlp, x: tf.Tensor2D, activation: Activation): tf.Tensor2D {
  let h = x;
  mlp.forEach(({ w, b }, l) => {
    h = tf.add(tf.matMul(h, w), b);
    if (l + 1 < mlp.length) h = activate(h, activation);
  });
  return h;
}

/** The inference path: one fused matMul + bias + activation kernel per layer (no gradients through it). */
export function applyMlpFused(mlp: Mlp, x: tf.Tensor2D, activation: Activation): tf.Tensor2D {
  let h = x;
  mlp.forEach(({ w, b }, l) => {
    const act = l + 1 < mlp.length ? activation : 'linear';
    h = (act === 'tanh' ? tf.tanh(tf.fused.matMul({ a: h, b: w as tf.Tensor2D, bias: b })) : tf.fused.matMul({ a: h, b: w as tf.Tensor2D, bias: b, activation: act })) as tf.Tensor2D;
  });
  return h;
}

export function mlpVariables(mlp: Mlp): tf.Variable[] {
  return mlp.flatMap(({ w, b }) => [w, b]);
}
