// `itinera train` with a level1-latent config: fits the latent level-1 model (encoder, JEPA predictor, position
// readout) to segments from `itinera collect --level 1`, and writes DIR/level1.json (plain arrays for TS inference)
// and DIR/metrics.json (held-out position error beside hand-made baselines; latent prediction error beside the gap a
// robot that stood still would open, which is what the surprise trigger separates).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ItineraError, parseWithSchema } from '@itinera/core';
import { latentLevel1File, ROVER_LEVEL1, saveLatentLevel1File } from '@itinera/rover';
import { fitLatentLevel1, initBackend, type BackendRequest, type LatentSample } from '@itinera/world-model';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { readLevel1Data, type Level1Segment } from './collect-level1.js';

export const latentConfigSchema = z
  .object({
    model: z.literal('level1-latent'),
    description: z.string().optional(),
    robot: z.string().default('rover'),
    network: z
      .object({ latent: z.number().int().min(2).max(256).default(8), hidden: z.number().int().min(1).max(1024).default(64), layers: z.number().int().min(1).max(4).default(2), activation: z.enum(['tanh', 'relu', 'elu']).default('tanh') })
      .strict()
      .default({ latent: 8, hidden: 64, layers: 2, activation: 'tanh' }),
    training: z
      .object({
        steps: z.number().int().min(1).default(4000),
        batch: z.number().int().min(1).default(128),
        learningRate: z.number().positive().default(0.002),
        validation: z.number().min(0.05).max(0.5).default(0.2),
        seed: z.number().int().min(0).default(0),
        frameRadius: z.number().min(0).default(3),
        ownFrame: z.number().min(0).max(1).default(0.25),
        emaDecay: z.number().min(0).max(1).default(0.99),
        readoutWeight: z.number().min(0).default(1),
        variance: z.number().min(0).default(0),
        covariance: z.number().min(0).default(0),
      })
      .strict()
      .default({ steps: 4000, batch: 128, learningRate: 0.002, validation: 0.2, seed: 0, frameRadius: 3, ownFrame: 0.25, emaDecay: 0.99, readoutWeight: 1, variance: 0, covariance: 0 }),
  })
  .strict();

export interface LatentMetrics {
  samples: { train: number; heldOut: number };
  trainLoss: number;
  /** Mean distance (m) between the readout of the predicted z and the reached end position, held out. */
  positionError: { model: number; straightLine: number; standStill: number };
  /** Distance in z (each dimension in its typical training error) between predicted and observed outcome (the surprise when the world agrees) and between predicted and the start (a base that did not move). */
  latentError: { median: number; p90: number };
  standStillGap: { median: number; p10: number };
  backend: string;
  wallSeconds: number;
}

/** A collected level-1 sample (features in the start's base frame) as the latent fitter reads it. */
export function latentSample(sample: Level1Segment['samples'][number]): LatentSample {
  const [wf, wl, forward, left, turn] = sample.input;
  const [mf, ml, sin, cos, f1, l1, t1, share] = sample.target;
  return { start: [0, 0, 1, 0, forward, left, turn], waypoint: [wf, wl], end: [mf, ml, cos, sin, f1, l1, t1], share };
}

export async function trainLatentLevel1Command(args: { data: string; config: string; out: string; backend: BackendRequest; steps?: number }, progress: (step: number, total: number, loss: number) => void = () => {}): Promise<LatentMetrics> {
  const config = parseWithSchema(latentConfigSchema, parseDocument(readFileSync(args.config, 'utf8')).toJS(), args.config);
  if (args.steps !== undefined) config.training.steps = args.steps;
  const samples = readLevel1Data(args.data).flatMap((s) => s.samples.map(latentSample));
  if (samples.length < 10) throw new ItineraError(`${args.data}: ${samples.length} level-1 samples; collect more with itinera collect --level 1 --out ${args.data}`);
  const backend = await initBackend(args.backend);
  const started = performance.now();
  const fit = fitLatentLevel1(samples, { ...config.network, ...config.training, onProgress: (step, loss) => progress(step, config.training.steps, loss) });
  const { heldOut, trainLoss, ...weights } = fit;
  const file = latentLevel1File({ robot: config.robot, stepSeconds: ROVER_LEVEL1.stepSeconds, activation: config.network.activation, description: config.description }, weights);
  const held = heldOut.samples;
  const mean = (f: (i: number) => number) => held.reduce((s, _, i) => s + f(i), 0) / held.length;
  // Baseline: straight at the waypoint at the kinematic model's cruising speed for the time the step took.
  const straight = (s: LatentSample) => {
    const d = Math.hypot(...s.waypoint);
    const go = Math.min(d, ROVER_LEVEL1.speed * ROVER_LEVEL1.stepSeconds * s.share);
    return [(s.waypoint[0] / d) * go, (s.waypoint[1] / d) * go];
  };
  const metrics: LatentMetrics = {
    samples: { train: samples.length - held.length, heldOut: held.length },
    trainLoss,
    positionError: {
      model: mean((i) => Math.hypot(heldOut.predictedPosition[i][0] - held[i].end[0], heldOut.predictedPosition[i][1] - held[i].end[1])),
      straightLine: mean((i) => Math.hypot(straight(held[i])[0] - held[i].end[0], straight(held[i])[1] - held[i].end[1])),
      standStill: mean((i) => Math.hypot(held[i].end[0], held[i].end[1])),
    },
    latentError: { median: quantile(heldOut.latentError, 0.5), p90: quantile(heldOut.latentError, 0.9) },
    standStillGap: { median: quantile(heldOut.standStillGap, 0.5), p10: quantile(heldOut.standStillGap, 0.1) },
    backend: backend.description,
    wallSeconds: (performance.now() - started) / 1000,
  };
  mkdirSync(args.out, { recursive: true });
  saveLatentLevel1File(join(args.out, 'level1.json'), file);
  writeFileSync(join(args.out, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
  return metrics;
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

export function formatLatentMetrics(m: LatentMetrics, out: string): string {
  const p = m.positionError;
  return [
    `${out}: latent level-1 model trained on ${m.samples.train} samples (${m.samples.heldOut} held out) in ${m.wallSeconds.toFixed(1)} s on ${m.backend}`,
    `  held-out end-position error (readout of predicted z): model ${p.model.toFixed(3)} m · straight-line baseline ${p.straightLine.toFixed(3)} m · standing still ${p.standStill.toFixed(3)} m`,
    `  held-out latent error: median ${m.latentError.median.toFixed(3)} · p90 ${m.latentError.p90.toFixed(3)}; gap to a base that stood still: median ${m.standStillGap.median.toFixed(3)} · p10 ${m.standStillGap.p10.toFixed(3)}`,
  ].join('\n');
}
