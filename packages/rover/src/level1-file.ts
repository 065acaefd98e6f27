// The learned level-1 model's file (DIR/level1.json): its one schema, written by `itinera train` with a level-1
// config and read by the learned rover model. Weights are plain arrays: inference needs no TensorFlow.js.
import { readFileSync, writeFileSync } from 'node:fs';
import { ItineraError } from '@itinera/core';
import { z } from 'zod';
import { LEVEL1_INPUTS, LEVEL1_OUTPUTS } from './level1-features.js';

export const LEVEL1_FORMAT = 'itinera-level1-mlp';

const level1FileSchema = z.object({
  format: z.literal(LEVEL1_FORMAT),
  robot: z.string(),
  stepSeconds: z.number().positive(),
  activation: z.enum(['tanh', 'relu', 'elu']),
  inputs: z.array(z.string()),
  outputs: z.array(z.string()),
  inputMean: z.array(z.number()),
  inputStd: z.array(z.number()),
  outputMean: z.array(z.number()),
  outputStd: z.array(z.number()),
  layers: z.array(z.object({ in: z.number().int(), out: z.number().int(), w: z.array(z.number()), b: z.array(z.number()) })),
  description: z.string().optional(),
});
export type Level1File = z.infer<typeof level1FileSchema>;

/** A fitted network's standardisation and weights (what world-model's fitLevel1 returns beside its losses). */
export type Level1Weights = Pick<Level1File, 'inputMean' | 'inputStd' | 'outputMean' | 'outputStd' | 'layers'>;

/** The file for weights fitted to this version's level-1 features. */
export function level1File(meta: { robot: string; stepSeconds: number; activation: Level1File['activation']; description?: string }, weights: Level1Weights): Level1File {
  return {
    format: LEVEL1_FORMAT,
    robot: meta.robot,
    stepSeconds: meta.stepSeconds,
    activation: meta.activation,
    inputs: [...LEVEL1_INPUTS],
    outputs: [...LEVEL1_OUTPUTS],
    ...weights,
    ...(meta.description && { description: meta.description }),
  };
}

export function saveLevel1File(path: string, file: Level1File): void {
  writeFileSync(path, JSON.stringify(file) + '\n');
}

/** Reads a level-1 model file; a wrong or damaged file is one clear error naming it. */
export function loadLevel1File(path: string): Level1File {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ItineraError(`${path}: cannot read a level-1 model (${(error as Error).message.split('\n')[0]})`);
  }
  const parsed = level1FileSchema.safeParse(raw);
  if (!parsed.success) throw new ItineraError(`${path}: not a level-1 model file (${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message})`);
  const file = parsed.data;
  if (file.inputs.join() !== LEVEL1_INPUTS.join() || file.outputs.join() !== LEVEL1_OUTPUTS.join()) throw new ItineraError(`${path}: its inputs/outputs are not this version's level-1 features`);
  return file;
}
