// `itinera train`: fits a world model from configs/train/*.yaml to a collected dataset, with a progress bar of
// the loss terms, checkpoints and --resume.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import cliProgress from 'cli-progress';
import { ItineraError } from '@itinera/core';
import { initBackend, loadTrainConfig, train, type BackendRequest, type TrainMetrics } from '@itinera/world-model';

export interface TrainArgs {
  /** One dataset directory or several of the same robot and scenario. */
  data: string | readonly string[];
  config: string;
  out: string;
  resume: boolean;
  /** A trained model to start from instead of fresh weights. */
  init?: string;
  backend: BackendRequest;
  /** Overrides training.steps (quick runs and tests). */
  steps?: number;
  checkpointEvery?: number;
  readoutSteps?: number;
}

const format = (terms: Record<string, number>) =>
  Object.entries(terms)
    .map(([n, v]) => `${n} ${v.toPrecision(3)}`)
    .join(' · ');

export async function trainCommand(args: TrainArgs): Promise<TrainMetrics> {
  const config = loadTrainConfig(args.config);
  if (args.steps !== undefined) config.training.steps = args.steps;
  if (args.checkpointEvery !== undefined) config.training.checkpointEvery = args.checkpointEvery;
  if (args.readoutSteps !== undefined) config.training.readoutSteps = args.readoutSteps;
  if (!args.resume && existsSync(join(args.out, 'checkpoint.json'))) throw new ItineraError(`${args.out} already holds a training run; pass --resume to continue it or choose another --out`);
  const backend = await initBackend(args.backend);
  process.stderr.write(`itinera: training ${config.model} on ${backend.description}\n`);
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar({ stream: process.stderr, format: `train ${config.model} [{bar}] {value}/{total} · {rate}/s · {terms}`, hideCursor: true }, cliProgress.Presets.shades_classic)
    : undefined;
  bar?.start(config.training.steps, 0, { terms: '', rate: '-' });
  let lastLine = 0;
  try {
    return await train({
      data: args.data,
      config,
      out: args.out,
      resume: args.resume,
      init: args.init,
      backend: backend.description,
      onProgress: (p) => {
        if (p.step === p.total || p.step - lastLine >= config.training.logEvery) {
          bar?.update(p.step, { terms: format(p.terms), rate: p.samplesPerSecond.toFixed(0) });
          // Without a terminal, one line per log interval.
          if (!bar) process.stderr.write(`train ${config.model}: step ${p.step}/${p.total} · ${p.samplesPerSecond.toFixed(0)} samples/s · ${format(p.terms)}\n`);
          lastLine = p.step;
        }
      },
    });
  } finally {
    bar?.stop();
  }
}

export function formatTrainSummary(m: TrainMetrics, out: string): string {
  const validation = m.final.validation ? ` · validation ${format(m.final.validation)}` : '';
  return `${out}: ${m.model} trained ${m.steps} steps on ${m.backend} in ${m.wallSeconds.toFixed(1)} s (${m.samplesPerSecond.toFixed(0)} samples/s${m.resumedFrom ? `, resumed at ${m.resumedFrom}` : ''}${m.initFrom ? `, started from ${m.initFrom}` : ''}) · train ${format(m.final.train)}${validation}`;
}
