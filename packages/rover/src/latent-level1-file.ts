// The latent level-1 model's file (DIR/level1.json, format itinera-level1-latent): an encoder of the base's planar
// state (in the frame of the plan's start) to a latent z, a predictor of the z reached after following a waypoint,
// and a linear readout of the planar position from z. Written by `itinera train` with a level1-latent config; weights
// are plain arrays, so inference needs no TensorFlow.js.
import { readFileSync, writeFileSync } from 'node:fs';
import { ItineraError } from '@itinera/core';
import { z } from 'zod';

export const LATENT_LEVEL1_FORMAT = 'itinera-level1-latent';

/** The encoder's input: the base's planar state in a reference frame (the plan's start), velocities in its own frame. */
export const LATENT_STATE = ['x', 'y', 'yaw.cos', 'yaw.sin', 'forward', 'left', 'turn'] as const;
/** The readout of z: the planar position in the reference frame. */
export const LATENT_READOUT = ['x', 'y'] as const;

const layerSchema = z.object({ in: z.number().int().positive(), out: z.number().int().positive(), w: z.array(z.number()), b: z.array(z.number()) });
export type DenseLayer = z.infer<typeof layerSchema>;

const latentFileSchema = z.object({
  format: z.literal(LATENT_LEVEL1_FORMAT),
  robot: z.string(),
  stepSeconds: z.number().positive(),
  activation: z.enum(['tanh', 'relu', 'elu']),
  latent: z.number().int().positive(),
  /** Per latent dimension, the predictor's typical error: represent/predict divide z by it, so surprise reads in typical errors. */
  latentScale: z.array(z.number().positive()),
  state: z.array(z.string()),
  stateMean: z.array(z.number()),
  stateStd: z.array(z.number()),
  /** Waypoints (m, reference frame) are divided by this before the predictor reads them. */
  waypointScale: z.number().positive(),
  encoder: z.array(layerSchema),
  /** Reads [z, waypoint]; outputs [Δz, share of the step used]. */
  predictor: z.array(layerSchema),
  /** Linear: z → planar position (m, reference frame). */
  readout: layerSchema,
  description: z.string().optional(),
});
export type LatentLevel1File = z.infer<typeof latentFileSchema>;

export type LatentLevel1Weights = Pick<LatentLevel1File, 'latent' | 'latentScale' | 'stateMean' | 'stateStd' | 'waypointScale' | 'encoder' | 'predictor' | 'readout'>;

export function latentLevel1File(meta: { robot: string; stepSeconds: number; activation: LatentLevel1File['activation']; description?: string }, weights: LatentLevel1Weights): LatentLevel1File {
  return { format: LATENT_LEVEL1_FORMAT, robot: meta.robot, stepSeconds: meta.stepSeconds, activation: meta.activation, state: [...LATENT_STATE], ...weights, ...(meta.description && { description: meta.description }) };
}

export function saveLatentLevel1File(path: string, file: LatentLevel1File): void {
  writeFileSync(path, JSON.stringify(file) + '\n');
}

/** Reads a latent level-1 model file; a wrong or damaged file is one clear error naming it. */
export function loadLatentLevel1File(path: string): LatentLevel1File {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ItineraError(`${path}: cannot read a latent level-1 model (${(error as Error).message.split('\n')[0]})`);
  }
  const parsed = latentFileSchema.safeParse(raw);
  if (!parsed.success) throw new ItineraError(`${path}: not a latent level-1 model file (${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message})`);
  const file = parsed.data;
  if (file.state.join() !== LATENT_STATE.join()) throw new ItineraError(`${path}: its state features are not this version's (${LATENT_STATE.join(', ')})`);
  const chain = [LATENT_STATE.length, ...file.encoder.map((l) => l.out)];
  const sizesFit =
    file.encoder.every((l, i) => l.in === chain[i] && l.w.length === l.in * l.out && l.b.length === l.out) &&
    chain.at(-1) === file.latent &&
    file.latentScale.length === file.latent &&
    file.predictor[0]?.in === file.latent + 2 &&
    file.predictor.at(-1)?.out === file.latent + 1 &&
    file.predictor.every((l, i) => (i === 0 || l.in === file.predictor[i - 1].out) && l.w.length === l.in * l.out && l.b.length === l.out) &&
    file.readout.in === file.latent &&
    file.readout.out === LATENT_READOUT.length &&
    file.readout.w.length === file.readout.in * file.readout.out;
  if (!sizesFit) throw new ItineraError(`${path}: its layer sizes do not fit together`);
  return file;
}
