// The multi-level planner contract: levels above control (waypoints on a level-1 model, a task tree) declared to the
// runtime, which alone decides each replan from the triggers the planner supplies; and the level-1 model plug-ins
// that robot packages hand to such a planner.
import type { DynamicsModel } from './dynamics.js';
import type { EnvSnapshot } from './env.js';
import type { EpisodeEvent } from './events.js';
import type { LevelSummary } from './results.js';
import type { StandardSchemaV1 } from './schema.js';
import type { Channels, Situation, Subgoal } from './situation.js';
import type { TaskTree } from './task-tree.js';

/** The state a level reads at one control step. */
export interface LevelTick {
  step: number;
  time: number;
  observation: Float64Array;
  /** The action applied since the previous tick (absent at reset). */
  action?: Float64Array;
}

/** A reason to replan that a multi-level planner asks the runtime to watch for, at its level. */
export type LevelTrigger = { readonly level: number } & (
  /** The task level changed (a skill done, failed, timed out; the tree ended): the signal is the reason. */
  | { readonly on: 'task'; read(tick: LevelTick): string | undefined }
  /** Named world events happened since the last tick; reason 'world-event:A,B'. */
  | { readonly on: 'world-events'; read(tick: LevelTick): readonly string[] }
  /** The robot reached its current waypoint. */
  | { readonly on: 'waypoint-reached'; read(tick: LevelTick): boolean }
  /** The gap between predicted and observed representation exceeds `threshold`; `cooldown` steps between replans. */
  | { readonly on: 'surprise'; read(tick: LevelTick): number; readonly threshold: number; readonly cooldown?: number }
  /** While `active`, the robot moved less than `minProgress` (m) over `window` simulated seconds. */
  | { readonly on: 'stall'; read(tick: LevelTick): readonly number[] | undefined; readonly window: number; readonly minProgress: number; active?(tick: LevelTick): boolean }
);

/** What a planner with levels above control declares to the runtime and to displays (Planner.levels). */
export interface PlannerLevels {
  /** Its triggers, in the order the runtime evaluates them at each tick. */
  readonly triggers: readonly LevelTrigger[];
  /** Told of every replan the triggers request, before the plan it causes, so that plan replans the right levels. */
  noteReplan(level: number, reason: string): void;
  /** Its own events (subgoal start/done/failed) as they happen; returns the unsubscribe function. */
  onEvent(listener: (event: EpisodeEvent) => void): () => void;
  /** What each of its levels above control plans on, top first, for run reports. */
  readonly above: readonly LevelSummary[];
  /** The planner at control (level 0), whose model the run supplies. */
  readonly controlPlanner: string;
  /** The task tree its top level runs, for displays. */
  readonly taskTree?: TaskTree;
}

/** Where a level-1 rollout starts: the observation (a learned model encodes it) and the subgoal its cost reads. */
export interface WaypointStart {
  readonly observation: Float64Array;
  readonly subgoal: Subgoal;
  /** The simulator's state, for a level-1 model that rolls the simulator forward. */
  readonly snapshot?: EnvSnapshot;
}

/**
 * Level 1: what happens when the level-0 controller follows waypoints. One rollout step follows one waypoint (world
 * x-y, the 2 action values) for `stepSeconds` or until reached; costs are charged per waypoint. `represent` and
 * `predict` give the level-1 representation of an observation and the one expected after following waypoints for
 * some seconds: their distance is the surprise. A model whose representation depends on where the plan started (a
 * latent written in the start's frame) reads `start` in `represent`.
 */
export interface WaypointModel extends DynamicsModel<WaypointStart> {
  readonly stepSeconds: number;
  represent(observation: Float64Array, start?: WaypointStart): Float64Array;
  predict(start: WaypointStart, waypoints: Float64Array, seconds: number): Float64Array;
}

/** How a multi-level planner reads a mobile robot's planar pose and rest from the observation; robot packages supply it. */
export interface MobileBody {
  /** Observation channels it reads: it serves envs that observe all of them. */
  readonly channels: readonly string[];
  pose(s: Situation): { x: number; y: number; yaw: number };
  /** The subgoal that holds the robot still where it is (the task tree has ended). */
  hold(s: Situation): Subgoal;
  /** Whether the robot already rests at the subgoal's target as it asks (a waiting skill has nothing to do). */
  settled(s: Situation, subgoal: Subgoal): boolean;
}

/** The options a level model gets: its own (validated by its schema) and a model file for learned ones. */
export interface LevelModelOptions<Config> {
  config: Config;
  /** A learned model's file (the `level1Model` option); its default when absent. */
  file?: string;
}

/** A level-1 model plug-in for multi-level planners: a robot package defines it, presets name it. */
export interface LevelModelDefinition<Config = Record<string, unknown>> {
  readonly name: string;
  readonly description: string;
  readonly schema: StandardSchemaV1<unknown, Config>;
  readonly defaults: Config;
  /** Observation channels it reads: without them a multi-level planner runs without a middle level. */
  readonly channels: readonly string[];
  /** Set on learned models: the model used instead when a run plans without learned models (`--model sim`). */
  readonly standIn?: string;
  create(options: LevelModelOptions<Config>, channels: Channels): WaypointModel;
  /** What it plans on, for run reports ('learned (models/rover-level1/level1.json)'). */
  describe(options: LevelModelOptions<Config>): string;
}

export function defineLevelModel<Config>(definition: LevelModelDefinition<Config>): LevelModelDefinition<Config> {
  return definition;
}
