// `itinera train` with a level-1 config (model: level1): fits the learned level-1 model of the hierarchical planner
// to segments from `itinera collect --level 1`, and writes DIR/level1.json (weights for plain-TS inference) and
// DIR/metrics.json (held-out errors beside two hand-made baselines).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ItineraError, parseWithSchema } from '@itinera/core';
import { level1File, ROVER_LEVEL1, saveLevel1File } from '@itinera/rover';
import { fitLevel1, initBackend, type BackendRequest } from '@itinera/world-model';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { readLevel1Data } from './collect-level1.js';

export const level1ConfigSchema = z
  .object({
    model: z.literal('level1'),
    description: z.string().optional(),
    robot: z.string().default('rover'),
    network: z.object({ hidden: z.number().int().min(1).max(1024).default(64), layers: z.number().int().min(1).max(4).default(2), activation: z.enum(['tanh', 'relu', 'elu']).default('tanh') }).strict().default({ hidden: 64, layers: 2, activation: 'tanh' }),
    training: z
      .object({ steps: z.number().int().min(1).default(4000), batch: z.number().int().min(1).default(128), learningRate: z.number().positive().default(0.003), validation: z.number().min(0.05).max(0.5).default(0.2), seed: z.number().int().min(0).default(0) })
      .strict()
      .default({ steps: 4000, batch: 128, learningRate: 0.003, validation: 0.2, seed: 0 }),
  })
  .strict();
export type Level1Config = z.infer<typeof level1ConfigSchema>;

/** A training config's `model`, read before the full schema: level-1 configs take their own path. */
export function configModel(path: string): unknown {
  try {
    return (parseDocument(readFileSync(path, 'utf8')).toJS() as { model?: unknown } | null)?.model;
  } catch {
    return undefined;
  }
}

export interface Level1Metrics {
  samples: { train: number; heldOut: number };
  trainLoss: number;
  heldOutLoss: number;
  /** Mean distance (m) between predicted and reached end positions on held-out samples. */
  positionError: { model: number; straightLine: number; standStill: number };
  /** Mean absolute error of the heading change (rad). */
  headingError: { model: number; straightLine: number };
  backend: string;
  wallSeconds: number;
}

export async function trainLevel1Command(args: { data: string; config: string; out: string; backend: BackendRequest; steps?: number }, progress: (step: number, total: number, loss: number) => void = () => {}): Promise<Level1Metrics> {
  const config = parseWithSchema(level1ConfigSchema, parseDocument(readFileSync(args.config, 'utf8')).toJS(), args.config);
  if (args.steps !== undefined) config.training.steps = args.steps;
  const segments = readLevel1Data(args.data);
  const samples = segments.flatMap((s) => s.samples);
  if (samples.length < 10) throw new ItineraError(`${args.data}: ${samples.length} level-1 samples; collect more with itinera collect --level 1 --out ${args.data}`);
  const backend = await initBackend(args.backend);
  const started = performance.now();
  const fit = fitLevel1(
    samples.map((s) => s.input),
    samples.map((s) => s.target),
    { ...config.network, ...config.training, onProgress: (step, loss) => progress(step, config.training.steps, loss) },
  );
  const { heldOut, trainLoss, validationLoss, ...weights } = fit;
  const file = level1File({ robot: config.robot, stepSeconds: ROVER_LEVEL1.stepSeconds, activation: config.network.activation, description: config.description }, weights);
  const { inputs, targets, predictions } = heldOut;
  const mean = (f: (i: number) => number) => inputs.reduce((s, _, i) => s + f(i), 0) / inputs.length;
  const turned = (row: number[]) => Math.atan2(row[2], row[3]);
  // Baseline: straight at the waypoint at the kinematic model's cruising speed, stopping on it.
  const straight = (i: number) => {
    const [fx, fy] = inputs[i];
    const d = Math.hypot(fx, fy);
    const go = Math.min(d, ROVER_LEVEL1.speed * ROVER_LEVEL1.stepSeconds * targets[i][7]);
    return [(fx / d) * go, (fy / d) * go, Math.atan2(fy, fx)];
  };
  const metrics: Level1Metrics = {
    samples: { train: samples.length - inputs.length, heldOut: inputs.length },
    trainLoss,
    heldOutLoss: validationLoss,
    positionError: {
      model: mean((i) => Math.hypot(predictions[i][0] - targets[i][0], predictions[i][1] - targets[i][1])),
      straightLine: mean((i) => Math.hypot(straight(i)[0] - targets[i][0], straight(i)[1] - targets[i][1])),
      standStill: mean((i) => Math.hypot(targets[i][0], targets[i][1])),
    },
    headingError: {
      model: mean((i) => Math.abs(wrap(turned(predictions[i]) - turned(targets[i])))),
      straightLine: mean((i) => Math.abs(wrap(straight(i)[2] - turned(targets[i])))),
    },
    backend: backend.description,
    wallSeconds: (performance.now() - started) / 1000,
  };
  mkdirSync(args.out, { recursive: true });
  saveLevel1File(join(args.out, 'level1.json'), file);
  writeFileSync(join(args.out, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
  return metrics;
}

function wrap(a: number): number {
  return Math.atan2(Math.sin(a), Math.cos(a));
}

export function formatLevel1Metrics(m: Level1Metrics, out: string): string {
  const p = m.positionError;
  return [
    `${out}: level-1 model trained on ${m.samples.train} samples (${m.samples.heldOut} held out) in ${m.wallSeconds.toFixed(1)} s on ${m.backend}`,
    `  held-out end-position error: model ${p.model.toFixed(3)} m · straight-line baseline ${p.straightLine.toFixed(3)} m · standing still ${p.standStill.toFixed(3)} m`,
    `  held-out heading error: model ${m.headingError.model.toFixed(3)} rad · straight-line baseline ${m.headingError.straightLine.toFixed(3)} rad`,
  ].join('\n');
}
