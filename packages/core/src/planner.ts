import type { BoxSpace, EnvSnapshot, SubgoalWriter } from './env.js';
import type { DynamicsModel } from './dynamics.js';
import type { PlannerLevels } from './levels.js';
import type { Rng } from './rng.js';
import type { StandardSchemaV1 } from './schema.js';
import type { Vec3 } from './spec.js';

/** An immutable control law a planner hands out; the control loop samples the latest one. */
export interface Policy {
  /** The action at simulated time `time` (seconds since reset). */
  action(time: number, observation?: Float64Array): Float64Array;
  /**
   * Where the planner expects the end effector (else the base) to go under this policy, one world position per
   * control step from the plan's state; computed on demand, for replay viewers. Optional.
   */
  predictedPath?(): Vec3[];
}

/** What a planner sees when asked for a plan; it must never step the live env. */
export interface PlanRequest {
  observation: Float64Array;
  /** Simulated seconds since reset. */
  time: number;
  step: number;
  /** A copy of the live state for simulator models to roll out from. */
  snapshot?: EnvSnapshot;
  /** Factor on a sampling planner's exploration noise for this plan (absent: 1); online adaptation raises it while its model is surprised. */
  exploration?: number;
}

export interface Planner {
  readonly name: string;
  plan(request: PlanRequest): Policy | Promise<Policy>;
  /** Present on planners with levels above control (definitions with the 'multi-level' capability). */
  readonly levels?: PlannerLevels;
  /** Clears warm starts and reseeds, at the start of an episode. */
  reset(seed: number): void;
  dispose(): void;
}

export interface PlannerContext {
  actionSpec: BoxSpace;
  observationSpec: BoxSpace;
  controlDt: number;
  rng: Rng;
  /** The model planners roll out on; trivial policies ignore it. */
  model?: DynamicsModel;
  /** The env's own way to write a subgoal into the snapshots a planner is handed (multi-level planners need it). */
  subgoals?: SubgoalWriter;
}

/**
 * What a planner needs or offers beyond planning on any model: a differentiable model (the cost's gradient), levels
 * above control (Planner.levels), a task tree (from the scenario).
 */
export type PlannerCapability = 'differentiable-model' | 'multi-level' | 'task-tree';

export interface PlannerDefinition<Config = Record<string, unknown>> {
  readonly name: string;
  readonly description: string;
  readonly schema: StandardSchemaV1<unknown, Config>;
  readonly defaults: Config;
  /** Whether it needs a DynamicsModel to plan with. */
  readonly needsModel: boolean;
  readonly capabilities?: readonly PlannerCapability[];
  /** The config for a run that plans without learned models (`--model sim`), for planners that bring their own. */
  withoutLearnedModels?(config: Config): Config;
  create(config: Config, context: PlannerContext): Planner;
}

/** The one way to ask what a planner definition declares it needs or offers. */
export function hasCapability(definition: Pick<PlannerDefinition<any>, 'capabilities'>, capability: PlannerCapability): boolean {
  return definition.capabilities?.includes(capability) ?? false;
}

export function definePlanner<Config>(definition: PlannerDefinition<Config>): PlannerDefinition<Config> {
  return definition;
}

/** A policy that holds one action. */
export function constantPolicy(action: Float64Array): Policy {
  const frozen = Float64Array.from(action);
  return { action: () => Float64Array.from(frozen) };
}
