// Fits a small regression network (inputs → outputs, both standardised) with Adam on raw tensors: the learned
// level-1 model of a hierarchical planner. The weights come back as plain arrays; inference needs no TensorFlow.js.
import * as tf from '@tensorflow/tfjs';
import { Rng } from '@itinera/core';
import { Adam } from './adam.js';
import { applyMlp, createMlp, mlpVariables, type Activation } from './mlp.js';

export interface Level1FitOptions {
  hidden: number;
  layers: number;
  activation: Activation;
  steps: number;
  batch: number;
  learningRate: number;
  /** Share of the samples held out to measure the fit (never trained on). */
  validation: number;
  seed: number;
  onProgress?: (step: number, loss: number) => void;
}

export interface Level1Fit {
  inputMean: number[];
  inputStd: number[];
  outputMean: number[];
  outputStd: number[];
  layers: Array<{ in: number; out: number; w: number[]; b: number[] }>;
  /** Held-out samples' predictions, de-standardised, row-major [sample][output]. */
  heldOut: { inputs: number[][]; targets: number[][]; predictions: number[][] };
  trainLoss: number;
  validationLoss: number;
}

function moments(rows: number[][]): { mean: number[]; std: number[] } {
  const n = rows.length;
  const mean = rows[0].map((_, k) => rows.reduce((s, r) => s + r[k], 0) / n);
  const std = rows[0].map((_, k) => Math.max(1e-3, Math.sqrt(rows.reduce((s, r) => s + (r[k] - mean[k]) ** 2, 0) / n)));
  return { mean, std };
}

export function fitLevel1(inputs: number[][], targets: number[][], options: Level1FitOptions): Level1Fit {
  const rng = new Rng(options.seed).fork('level1-fit');
  const order = inputs.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const nVal = Math.max(1, Math.round(order.length * options.validation));
  const valIdx = order.slice(0, nVal);
  const trainIdx = order.slice(nVal);
  const inNorm = moments(trainIdx.map((i) => inputs[i]));
  const outNorm = moments(trainIdx.map((i) => targets[i]));
  const standardise = (rows: number[][], idx: number[], m: { mean: number[]; std: number[] }) => tf.tensor2d(idx.map((i) => rows[i].map((v, k) => (v - m.mean[k]) / m.std[k])));
  const [xTrain, yTrain, xVal, yVal] = [standardise(inputs, trainIdx, inNorm), standardise(targets, trainIdx, outNorm), standardise(inputs, valIdx, inNorm), standardise(targets, valIdx, outNorm)];
  const sizes = [inputs[0].length, ...Array<number>(options.layers).fill(options.hidden), targets[0].length];
  const mlp = createMlp(sizes, rng);
  const vars = mlpVariables(mlp);
  const adam = new Adam(vars, options.learningRate);
  const loss = (x: tf.Tensor2D, y: tf.Tensor2D) => tf.mean(tf.square(tf.sub(applyMlp(mlp, x, options.activation), y))) as tf.Scalar;
  let trainLoss = NaN;
  try {
    for (let step = 1; step <= options.steps; step++) {
      const batch = Array.from({ length: Math.min(options.batch, trainIdx.length) }, () => Math.floor(rng.next() * trainIdx.length));
      const { value, grads } = tf.tidy(() => {
        const idx = tf.tensor1d(batch, 'int32');
        return tf.variableGrads(() => loss(tf.gather(xTrain, idx), tf.gather(yTrain, idx)), vars);
      });
      adam.apply(grads);
      trainLoss = value.dataSync()[0];
      value.dispose();
      Object.values(grads).forEach((g) => g.dispose());
      options.onProgress?.(step, trainLoss);
    }
    const validationLoss = tf.tidy(() => loss(xVal, yVal).dataSync()[0]);
    const predicted = tf.tidy(() => applyMlp(mlp, xVal, options.activation).arraySync() as number[][]);
    const layers = mlp.map(({ w, b }) => ({ in: w.shape[0], out: b.shape[0], w: Array.from(w.dataSync()), b: Array.from(b.dataSync()) }));
    return {
      inputMean: inNorm.mean,
      inputStd: inNorm.std,
      outputMean: outNorm.mean,
      outputStd: outNorm.std,
      layers,
      heldOut: { inputs: valIdx.map((i) => inputs[i]), targets: valIdx.map((i) => targets[i]), predictions: predicted.map((row) => row.map((v, k) => v * outNorm.std[k] + outNorm.mean[k])) },
      trainLoss,
      validationLoss,
    };
  } finally {
    adam.dispose();
    vars.forEach((v) => v.dispose());
    [xTrain, yTrain, xVal, yVal].forEach((t) => t.dispose());
  }
}
