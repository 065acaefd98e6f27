// A training config (configs/train/*.yaml): which model plug-in, network sizes, readouts, the latent cost, training.
import { readFileSync } from 'node:fs';
import { ItineraError, parseWithSchema } from '@itinera/core';
import { parseDocument } from 'yaml';
import { z } from 'zod';

const norm = z.enum(['quadratic', 'smooth-l2', 'l1']);

/**
 * A cost term on decoded quantities: its residual is the named observation channels (as the readouts decode them),
 * less the `minus` channels (a difference of positions) and less `offset`, or — with `action: true` — the action as a
 * fraction of each actuator's limit.
 */
export const latentCostTermSchema = z
  .object({
    name: z.string().min(1),
    channels: z.array(z.string().min(1)).optional(),
    minus: z.array(z.string().min(1)).optional(),
    action: z.boolean().optional(),
    offset: z.array(z.number()).optional(),
    norm,
    weight: z.number().nonnegative(),
    p: z.number().positive().optional(),
    guardrail: z.boolean().optional(),
  })
  .strict()
  .refine((t) => (t.channels ? 1 : 0) + (t.action ? 1 : 0) === 1, { message: 'a cost term takes either channels or action: true' });
export type LatentCostTerm = z.infer<typeof latentCostTermSchema>;

export const networkSchema = z
  .object({
    latent: z.number().int().min(1).max(1024).default(32),
    /** Width and depth of the encoder's and the predictor's hidden layers. */
    hidden: z.number().int().min(1).max(4096).default(128),
    layers: z.number().int().min(1).max(8).default(2),
    /** The predictor may be smaller: it runs horizon × samples times per plan. */
    predictorHidden: z.number().int().min(1).max(4096).optional(),
    readoutHidden: z.number().int().min(1).max(4096).default(256),
    readoutLayers: z.number().int().min(1).max(4).default(1),
    activation: z.enum(['elu', 'relu', 'tanh']).default('elu'),
    /** Observation channels the networks do not see (trailing '*' matches a prefix): unbounded or jumpy inputs. */
    ignore: z.array(z.string().min(1)).optional(),
    /**
     * 'start': a mobile base's windows and plans are seen from its planar pose at their start (BaseFrame), so the model
     * learns motion rather than places; needs planning.cost: task.
     */
    frame: z.enum(['world', 'start']).default('world'),
    /** With frame 'start': NAME.x/NAME.y points (a box, a target pad) seen from the start pose too. */
    framePoints: z.array(z.string().min(1)).optional(),
    /** With frame 'start': NAME.x/NAME.y vectors (differences, e.g. box-to-pad) turned with the start heading. */
    frameVectors: z.array(z.string().min(1)).optional(),
    /** K predictors trained side by side; their disagreement is the model's uncertainty. */
    ensemble: z.number().int().min(1).max(16).default(1),
  })
  .strict();
export type NetworkConfig = z.infer<typeof networkSchema>;

export const trainingSchema = z
  .object({
    /** Steps that train the whole world model (the readout head co-trains on stop-gradient latents). */
    steps: z.number().int().min(1).default(3000),
    batch: z.number().int().min(2).default(128),
    /** Prediction steps each training window is rolled out in latent space. */
    rolloutSteps: z.number().int().min(1).max(100).default(5),
    learningRate: z.number().positive().default(1e-3),
    /** Steps after `steps` that train the readout head alone, on frozen latents computed once. */
    readoutSteps: z.number().int().min(0).default(3000),
    readoutBatch: z.number().int().min(1).default(512),
    /** Training windows whose frames and rolled-out predictions make up the readout phase's data. */
    readoutWindows: z.number().int().min(1).default(20000),
    /** The readout phase's learning rate decays linearly to this fraction of learningRate. */
    readoutFinalRate: z.number().min(0).max(1).default(0.1),
    /**
     * Weight of a second readout loss whose gradient reaches the encoder and predictors (as TD-MPC2's reward head
     * shapes its latent): the latents, real and rolled out, must carry the decoded channels. 0: latents are shaped
     * by the model kind's own losses alone.
     */
    readoutShaping: z.number().min(0).default(0),
    checkpointEvery: z.number().int().min(1).default(250),
    logEvery: z.number().int().min(1).default(50),
    /** Share of episodes (the last ones) held out for validation metrics. */
    validation: z.number().min(0).max(0.5).default(0.1),
    seed: z.number().int().min(0).default(0),
  })
  .strict();
export type TrainingConfig = z.infer<typeof trainingSchema>;

/** Level-0 surprise: the one-step error in latent space (RMS over latent dimensions) that makes the planner replan. */
export const surpriseSchema = z
  .object({
    threshold: z.number().positive().default(0.5).describe('One-step prediction error (latent RMS) above which level 0 replans.'),
    cooldown: z.number().int().min(1).default(10).describe('Control steps between the replans surprise causes.'),
  })
  .strict();

export const planningSchema = z
  .object({
    /**
     * Shift decoded channels by (observed − decoded) at the plan's start state: the readouts decode observation
     * channels, so their local bias cancels out of the cost (offset-free MPC) instead of parking the robot off target.
     */
    anchorReadouts: z.boolean().default(true),
    /**
     * 'config': plan on the `cost` terms above. 'task': on the scenario's own residuals (and the subgoal a level above
     * writes) read from the decoded channels (TaskCostLatentModel); `cost` then only serves offline checks.
     */
    cost: z.enum(['config', 'task']).default('config'),
    surprise: surpriseSchema.default(surpriseSchema.parse({})),
    /**
     * Weight of the 'model-uncertainty' guardrail (task-cost models with network.ensemble ≥ 2): the ensemble's spread
     * of each imagined step, so plans stay where the model was trained (pessimism as in MOPO); 0: not charged.
     */
    uncertainty: z.number().min(0).default(0),
  })
  .strict();

export const trainConfigSchema = z
  .object({
    model: z.string().min(1),
    description: z.string().optional(),
    /** The model plug-in's own options, validated by its schema. */
    options: z.record(z.string(), z.unknown()).default({}),
    network: networkSchema.default(networkSchema.parse({})),
    /** Observation channels the readout heads decode (trailing '*' matches a prefix): what costs are written on. */
    readouts: z.array(z.string().min(1)).min(1),
    cost: z.array(latentCostTermSchema).min(1),
    training: trainingSchema.default(trainingSchema.parse({})),
    /** How planners use the trained model (read at load time, so it can be changed in model.json). */
    planning: planningSchema.default(planningSchema.parse({})),
  })
  .strict();
export type TrainConfig = z.infer<typeof trainConfigSchema>;

export function loadTrainConfig(path: string): TrainConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ItineraError(`${path}: cannot read the training config`);
  }
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new ItineraError(doc.errors.map((e) => `${path}:${e.linePos?.[0].line}: ${e.message.split(' at line ')[0]}`));
  return parseWithSchema(trainConfigSchema, doc.toJS(), path);
}

/** Expands channel patterns ('qvel.*') against the observation names, keeping their order; unknown ones are errors. */
export function resolveChannels(patterns: readonly string[], names: readonly string[], where: string): string[] {
  const out: string[] = [];
  for (const pattern of patterns) {
    const matches = pattern.endsWith('*') ? names.filter((n) => n.startsWith(pattern.slice(0, -1))) : names.filter((n) => n === pattern);
    if (matches.length === 0) throw new ItineraError(`${where}: no observation channel matches '${pattern}' (channels: ${names.join(', ')})`);
    for (const m of matches) if (!out.includes(m)) out.push(m);
  }
  return out;
}
