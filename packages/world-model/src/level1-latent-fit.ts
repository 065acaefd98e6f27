// Fits the latent level-1 model JEPA-style on raw tensors: an encoder E (planar state → z), a predictor P ([z,
// waypoint] → Δz and the share of the step used) trained to hit an EMA copy of E on the observed outcome, and a linear
// readout z → position. The readout and a VICReg variance/covariance term keep z from collapsing. Each segment is
// seen from a random reference frame (the physics does not care where the base is or which way it faces), so steps
// that start away from the frame's origin — a plan's second waypoint — are as familiar as first ones.
import * as tf from '@tensorflow/tfjs';
import { Rng } from '@itinera/core';
import { Adam } from './adam.js';
import type { Level1FitOptions } from './level1-fit.js';
import { mse, offDiagonalCovariance, varianceHinge } from './losses.js';
import { applyMlp, createMlp, mlpVariables, type Activation, type Mlp } from './mlp.js';

/** One level-1 step seen from its start's base frame: states are [x, y, yaw.cos, yaw.sin, forward, left, turn]. */
export interface LatentSample {
  start: number[];
  waypoint: [number, number];
  end: number[];
  /** Share of the level-1 step the controller used (1: the whole step; less: the waypoint was reached). */
  share: number;
}

/** The planar model's fit options, plus the latent size and the JEPA terms. */
export interface LatentFitOptions extends Level1FitOptions {
  latent: number;
  /** Reference frames are drawn with the start within this radius (m) of their origin, facing any way. */
  frameRadius: number;
  /** Share of samples kept in their own frame (a plan's first step is always seen that way). */
  ownFrame: number;
  emaDecay: number;
  readoutWeight: number;
  variance: number;
  covariance: number;
}

type Layer = { in: number; out: number; w: number[]; b: number[] };

export interface LatentFit {
  stateMean: number[];
  stateStd: number[];
  waypointScale: number;
  latent: number;
  /** Per dimension: the predictor's RMS error on training segments; z is divided by it before distances. */
  latentScale: number[];
  encoder: Layer[];
  predictor: Layer[];
  readout: Layer;
  /** Held-out samples in their own frame: readout of the predicted z and z distances. */
  heldOut: { samples: LatentSample[]; predictedPosition: number[][]; latentError: number[]; standStillGap: number[] };
  trainLoss: number;
}

const STATE = 7;

/** The sample seen from a frame in which its start sits at (tx, ty) facing θ. */
function inFrame(s: LatentSample, tx: number, ty: number, theta: number): LatentSample {
  const [c, n] = [Math.cos(theta), Math.sin(theta)];
  const point = (x: number, y: number): [number, number] => [tx + c * x - n * y, ty + n * x + c * y];
  const state = (v: number[]) => [...point(v[0], v[1]), c * v[2] - n * v[3], n * v[2] + c * v[3], v[4], v[5], v[6]];
  return { start: state(s.start), waypoint: point(...s.waypoint), end: state(s.end), share: s.share };
}

function augment(s: LatentSample, rng: Rng, o: LatentFitOptions): LatentSample {
  if (rng.next() < o.ownFrame) return s;
  const r = o.frameRadius * Math.sqrt(rng.next());
  const a = rng.uniform(-Math.PI, Math.PI);
  return inFrame(s, r * Math.cos(a), r * Math.sin(a), rng.uniform(-Math.PI, Math.PI));
}

function moments(rows: number[][]): { mean: number[]; std: number[] } {
  const mean = rows[0].map((_, k) => rows.reduce((s, r) => s + r[k], 0) / rows.length);
  const std = rows[0].map((_, k) => Math.max(1e-3, Math.sqrt(rows.reduce((s, r) => s + (r[k] - mean[k]) ** 2, 0) / rows.length)));
  return { mean, std };
}

const toLayers = (mlp: Mlp): Layer[] => mlp.map(({ w, b }) => ({ in: w.shape[0], out: b.shape[0], w: Array.from(w.dataSync()), b: Array.from(b.dataSync()) }));

export function fitLatentLevel1(samples: LatentSample[], o: LatentFitOptions): LatentFit {
  const rng = new Rng(o.seed).fork('level1-latent-fit');
  const order = samples.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const nVal = Math.max(1, Math.round(order.length * o.validation));
  const held = order.slice(0, nVal).map((i) => samples[i]);
  const train = order.slice(nVal).map((i) => samples[i]);
  // Standardisation from a fixed augmented pool: the states a plan's frames see.
  const pool = Array.from({ length: 4096 }, () => augment(train[Math.floor(rng.next() * train.length)], rng, o));
  const norm = moments(pool.flatMap((s) => [s.start, s.end]));
  const wp = moments(pool.map((s) => s.waypoint));
  const waypointScale = Math.max(...wp.std);
  const standardise = (v: number[]) => v.map((x, k) => (x - norm.mean[k]) / norm.std[k]);

  const encoder = createMlp([STATE, ...Array<number>(o.layers).fill(o.hidden), o.latent], rng);
  const target = createMlp([STATE, ...Array<number>(o.layers).fill(o.hidden), o.latent], rng);
  // The predictor's last layer starts small: Δz ≈ 0, the residual step starts near "nothing happens".
  const predictor = createMlp([o.latent + 2, ...Array<number>(o.layers).fill(o.hidden), o.latent + 1], rng, 0.1);
  const readout = createMlp([o.latent, 2], rng);
  target.forEach((layer, l) => (layer.w.assign(encoder[l].w), layer.b.assign(encoder[l].b)));
  const vars = [encoder, predictor, readout].flatMap(mlpVariables);
  const adam = new Adam(vars, o.learningRate);
  const predict = (z: tf.Tensor2D, a: tf.Tensor2D) => {
    const out = applyMlp(predictor, tf.concat([z, a], 1), o.activation);
    return { z: tf.add(z, tf.slice(out, [0, 0], [-1, o.latent])) as tf.Tensor2D, share: tf.slice(out, [0, o.latent], [-1, 1]) as tf.Tensor2D };
  };
  const read = (z: tf.Tensor2D) => applyMlp(readout, z, o.activation);
  /** Encoded start and outcome of samples in their own frame, and the predicted outcome. */
  const outcome = (rows: LatentSample[]) => {
    const z0 = applyMlp(encoder, tf.tensor2d(rows.map((s) => standardise(s.start))), o.activation);
    const z1 = applyMlp(encoder, tf.tensor2d(rows.map((s) => standardise(s.end))), o.activation);
    return { z0, z1, next: predict(z0, tf.tensor2d(rows.map((s) => s.waypoint.map((v) => v / waypointScale)))) };
  };
  let trainLoss = NaN;
  try {
    for (let step = 1; step <= o.steps; step++) {
      const batch = Array.from({ length: o.batch }, () => augment(train[Math.floor(rng.next() * train.length)], rng, o));
      const { value, grads } = tf.tidy(() => {
        const s0 = tf.tensor2d(batch.map((s) => standardise(s.start)));
        const s1 = tf.tensor2d(batch.map((s) => standardise(s.end)));
        const a = tf.tensor2d(batch.map((s) => s.waypoint.map((v) => v / waypointScale)));
        const p0 = tf.tensor2d(batch.map((s) => s.start.slice(0, 2)));
        const p1 = tf.tensor2d(batch.map((s) => s.end.slice(0, 2)));
        const share = tf.tensor2d(batch.map((s) => [s.share]));
        const zTarget = applyMlp(target, s1, o.activation);
        return tf.variableGrads(() => {
          const z0 = applyMlp(encoder, s0, o.activation);
          const next = predict(z0, a);
          const terms = [
            mse(next.z, zTarget),
            tf.mul(o.readoutWeight, tf.add(mse(read(z0), p0), mse(read(next.z), p1))),
            mse(next.share, share),
            tf.mul(o.variance, varianceHinge(z0)),
            tf.mul(o.covariance, offDiagonalCovariance(z0)),
          ];
          return tf.addN(terms) as tf.Scalar;
        }, vars);
      });
      adam.apply(grads);
      trainLoss = value.dataSync()[0];
      value.dispose();
      Object.values(grads).forEach((g) => g.dispose());
      // The target encoder trails the online one (EMA): the JEPA targets move slowly.
      tf.tidy(() => target.forEach((layer, l) => {
        layer.w.assign(tf.add(tf.mul(layer.w, o.emaDecay), tf.mul(encoder[l].w, 1 - o.emaDecay)));
        layer.b.assign(tf.add(tf.mul(layer.b, o.emaDecay), tf.mul(encoder[l].b, 1 - o.emaDecay)));
      }));
      o.onProgress?.(step, trainLoss);
    }
    // Each latent dimension scaled by its prediction error on the training segments: surprise reads in typical errors.
    const latentScale = tf.tidy(() => {
      const { z1, next } = outcome(train);
      return Array.from(tf.sqrt(tf.add(tf.mean(tf.square(tf.sub(next.z, z1)), 0), 1e-6)).dataSync());
    });
    const scores = tf.tidy(() => {
      const { z0, z1, next } = outcome(held);
      const scale = tf.tensor1d(latentScale);
      const distance = (x: tf.Tensor2D, y: tf.Tensor2D) => Array.from(tf.sqrt(tf.sum(tf.square(tf.div(tf.sub(x, y), scale)), 1)).dataSync());
      return { predictedPosition: read(next.z).arraySync() as number[][], latentError: distance(next.z, z1), standStillGap: distance(next.z, z0) };
    }) as unknown as Omit<LatentFit['heldOut'], 'samples'>;
    const heldOut = { samples: held, ...scores };
    return { stateMean: norm.mean, stateStd: norm.std, waypointScale, latent: o.latent, latentScale, encoder: toLayers(encoder), predictor: toLayers(predictor), readout: toLayers(readout)[0], heldOut, trainLoss };
  } finally {
    adam.dispose();
    [encoder, target, predictor, readout].flatMap(mlpVariables).forEach((v) => v.dispose());
  }
}
