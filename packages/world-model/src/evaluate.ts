// `itinera eval-model`: k-step prediction error in readout space against the constant-state and constant-velocity
// baselines, and collapse diagnostics of the latent space (per-dimension std, effective rank).
import * as tf from '@tensorflow/tfjs';
import { ItineraError } from '@itinera/core';
import { readEpisodes, requireManifest, specMismatch } from './dataset.js';
import { WorldModel } from './world-model.js';

export interface KStepError {
  /** RMSE over all readout channels, each divided by its std in the training data (unitless). */
  model: number;
  /** The model's error with its readouts anchored to the observation at k = 0, as planning decodes them by default. */
  anchored: number;
  constantState: number;
  constantVelocity: number;
  /** RMSE of the model per readout channel, in the channel's units. */
  perChannel: Record<string, number>;
}

export interface ModelEvaluation {
  model: string;
  kind: string;
  data: string;
  backend: string;
  windows: number;
  kStep: Record<string, KStepError>;
  latent: { dims: number; std: number[]; minStd: number; effectiveRank: number };
}

export const EVAL_HORIZONS = [1, 5, 20] as const;

/** Symmetric eigenvalues by cyclic Jacobi rotations (latent sizes are small). */
export function symmetricEigenvalues(matrix: Float64Array, n: number): Float64Array {
  const a = Float64Array.from(matrix);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q] ** 2;
    if (off < 1e-20) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k];
          const aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
      }
    }
  }
  return Float64Array.from({ length: n }, (_, i) => a[i * n + i]);
}

/** exp(entropy) of the normalised singular values of the centred latents (Roy & Vetterli): 1 = collapsed to a line. */
export function effectiveRank(latents: Float32Array, n: number, d: number): { std: number[]; effectiveRank: number } {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += latents[i * d + j] / n;
  const cov = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < d; p++) {
      const x = latents[i * d + p] - mean[p];
      for (let q = p; q < d; q++) cov[p * d + q] += (x * (latents[i * d + q] - mean[q])) / Math.max(1, n - 1);
    }
  }
  for (let p = 0; p < d; p++) for (let q = 0; q < p; q++) cov[p * d + q] = cov[q * d + p];
  const std = Array.from({ length: d }, (_, j) => Math.sqrt(cov[j * d + j]));
  const singular = Array.from(symmetricEigenvalues(cov, d), (e) => Math.sqrt(Math.max(0, e)));
  const total = singular.reduce((s, v) => s + v, 0);
  if (total === 0) return { std, effectiveRank: 0 };
  const entropy = singular.reduce((h, v) => (v > 0 ? h - (v / total) * Math.log(v / total) : h), 0);
  return { std, effectiveRank: Math.exp(entropy) };
}

/** Evaluates the model in `modelDir` on every window of the dataset in `dataDir` (at most `maxWindows`, evenly spread). */
export function evaluateModel(modelDir: string, dataDir: string, backend: string, maxWindows = 2000): ModelEvaluation {
  const model = WorldModel.load(modelDir);
  try {
    const manifest = requireManifest(dataDir);
    const mismatch = specMismatch(model.file.spec, manifest);
    if (mismatch) throw new ItineraError(`${dataDir} does not match the model's data: ${mismatch}`);
    const episodes = readEpisodes(dataDir, manifest);
    const kMax = Math.max(...EVAL_HORIZONS);
    const o = manifest.observation.names.length;
    const a = manifest.action.names.length;
    // Windows start at t ≥ 1 so the constant-velocity baseline has a previous frame.
    const all: Array<[number, number]> = [];
    episodes.forEach((e, i) => {
      for (let t = 1; t + kMax <= e.steps; t++) all.push([i, t]);
    });
    if (all.length === 0) throw new ItineraError(`${dataDir}: no episode has ${kMax + 1} steps to evaluate ${kMax}-step predictions`);
    const n = Math.min(maxWindows, all.length);
    const windows = Array.from({ length: n }, (_, i) => all[Math.floor((i * all.length) / n)]);
    const obs0 = new Float32Array(n * o);
    const prev = new Float32Array(n * o);
    const targets = EVAL_HORIZONS.map(() => new Float32Array(n * o));
    const actions = Array.from({ length: kMax }, () => new Float32Array(n * a));
    windows.forEach(([ei, t], w) => {
      const e = episodes[ei];
      obs0.set(e.observations.subarray(t * o, (t + 1) * o), w * o);
      prev.set(e.observations.subarray((t - 1) * o, t * o), w * o);
      EVAL_HORIZONS.forEach((k, j) => targets[j].set(e.observations.subarray((t + k) * o, (t + k + 1) * o), w * o));
      for (let s = 0; s < kMax; s++) actions[s].set(e.actions.subarray((t + s) * a, (t + s + 1) * a), w * a);
    });

    const r = model.readoutIndex.length;
    const std = model.readoutIndex.map((c) => model.file.normalisation.obsStd[c]);
    const predicted: Float32Array[] = [];
    let latents: Float32Array = new Float32Array(0);
    let decoded0: Float32Array = new Float32Array(0);
    tf.tidy(() => {
      // Each window seen from its own start when the model plans that way (network.frame: start).
      const z0 = model.encode(model.normaliseObs(tf.tensor2d(model.inModelFrame(obs0, n, obs0, true), [n, o])), true);
      const decode = (z: tf.Tensor2D): Float32Array => model.readoutsToWorld(Float32Array.from(model.readout(z, true).dataSync()), n, obs0, true);
      latents = z0.dataSync() as Float32Array;
      decoded0 = decode(z0);
      let z = z0;
      for (let s = 1; s <= kMax; s++) {
        z = model.predict(z, model.normaliseAct(tf.tensor2d(actions[s - 1], [n, a])), true);
        if ((EVAL_HORIZONS as readonly number[]).includes(s)) predicted.push(decode(z));
      }
    });
    const now = model.readoutOfObservations(obs0, n);
    const before = model.readoutOfObservations(prev, n);
    const kStep: Record<string, KStepError> = {};
    EVAL_HORIZONS.forEach((k, j) => {
      const truth = model.readoutOfObservations(targets[j], n);
      const sq = { model: 0, anchored: 0, constantState: 0, constantVelocity: 0 };
      const channel = new Float64Array(r);
      for (let i = 0; i < n * r; i++) {
        const c = i % r;
        const dm = predicted[j][i] - truth[i];
        channel[c] += dm * dm;
        sq.model += (dm / std[c]) ** 2;
        sq.anchored += ((dm + now[i] - decoded0[i]) / std[c]) ** 2;
        sq.constantState += ((now[i] - truth[i]) / std[c]) ** 2;
        sq.constantVelocity += ((now[i] + k * (now[i] - before[i]) - truth[i]) / std[c]) ** 2;
      }
      kStep[String(k)] = {
        model: Math.sqrt(sq.model / (n * r)),
        anchored: Math.sqrt(sq.anchored / (n * r)),
        constantState: Math.sqrt(sq.constantState / (n * r)),
        constantVelocity: Math.sqrt(sq.constantVelocity / (n * r)),
        perChannel: Object.fromEntries(model.file.readouts.map((name, c) => [name, Math.sqrt(channel[c] / n)])),
      };
    });
    const d = model.latentSize;
    const latent = effectiveRank(latents, n, d);
    return {
      model: modelDir,
      kind: model.file.kind,
      data: dataDir,
      backend,
      windows: n,
      kStep,
      latent: { dims: d, std: latent.std, minStd: Math.min(...latent.std), effectiveRank: latent.effectiveRank },
    };
  } finally {
    model.dispose();
  }
}

export function formatEvaluation(e: ModelEvaluation): string {
  const lines = [`${e.model} (${e.kind}) on ${e.data}: ${e.windows} windows · ${e.backend}`, 'k-step readout error (RMSE / channel std):', '   k    model   anchored   const-state   const-velocity'];
  for (const [k, v] of Object.entries(e.kStep)) lines.push(`${k.padStart(4)} ${v.model.toFixed(4).padStart(8)} ${v.anchored.toFixed(4).padStart(10)} ${v.constantState.toFixed(4).padStart(13)} ${v.constantVelocity.toFixed(4).padStart(16)}`);
  const k1 = e.kStep['1'];
  if (k1) lines.push(`1-step RMSE per channel: ${Object.entries(k1.perChannel).map(([c, v]) => `${c} ${v.toPrecision(3)}`).join(', ')}`);
  lines.push(`latent: ${e.latent.dims} dims, effective rank ${e.latent.effectiveRank.toFixed(2)}, per-dimension std min ${e.latent.minStd.toPrecision(3)} median ${median(e.latent.std).toPrecision(3)}`);
  return lines.join('\n');
}

function median(values: number[]): number {
  const s = [...values].sort((x, y) => x - y);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
}
