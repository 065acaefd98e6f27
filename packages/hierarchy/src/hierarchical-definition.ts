// The `hierarchical` planner plug-in. Built by whoever knows the concrete pieces (the CLI): the low-level planners
// by name, the scenarios' task trees, and the robots' level-1 models and mobile bodies. It names no robot itself.
import {
  definePlanner,
  ItineraError,
  missingChannels,
  parseWithSchema,
  Channels,
  type LevelModelDefinition,
  type LevelSummary,
  TASK_LEVEL,
  WAYPOINT_LEVEL,
  type MobileBody,
  type PlannerDefinition,
  type TaskTree,
} from '@itinera/core';
import { z } from 'zod';
import { HIERARCHY_DEFAULTS, HierarchicalPlanner } from './hierarchical-planner.js';
import { WAYPOINT_DEFAULTS, WaypointPlanner } from './waypoint-planner.js';

export interface HierarchyPlugins {
  /** A low-level planner by name (the CLI's registry). */
  planner(name: string): PlannerDefinition<any>;
  trees: readonly TaskTree[];
  /** Level-1 models presets name with `middle`. */
  levelModels: readonly LevelModelDefinition<any>[];
  /** The level-1 model when a preset names none; default 'none'. */
  defaultMiddle?: string;
  /** Mobile robots' pose readers: the first whose channels the env observes serves waypoints and holding still. */
  bodies: readonly MobileBody[];
}

function hierarchicalSchema(plugins: HierarchyPlugins) {
  const middles = ['none', ...plugins.levelModels.map((m) => m.name)] as [string, ...string[]];
  return z
    .object({
      tree: z.string().min(1).default('auto').describe("A task tree's name, or 'auto': the one tree whose channels the env's observation provides."),
      low: z
        .object({ planner: z.string().min(1).default('mppi'), options: z.record(z.string(), z.unknown()).default({}) })
        .strict()
        .default({ planner: 'mppi', options: {} })
        .describe('The low-level planner and its options ({planner, options}): it tracks the current subgoal on the level-0 model.'),
      middle: z.enum(middles).default(plugins.defaultMiddle ?? 'none').describe("The middle level's level-1 model (a plug-in a robot package defines), or none."),
      level1Model: z.string().min(1).optional().describe("A learned level-1 model's file (itinera train --out DIR writes DIR/level1.json); default: the model's own."),
      waypoints: z
        .object({ count: z.number().int().min(1).max(8), samples: z.number().int().min(2).max(4096), iterations: z.number().int().min(1).max(20), elites: z.number().int().min(1), spread: z.number().positive(), spacing: z.number().positive() })
        .partial()
        .strict()
        .default({})
        .describe("The waypoint level's search (count, samples, iterations, elites, spread, spacing); unset keys take the level-1 model's defaults."),
      level1: z.record(z.string(), z.unknown()).default({}).describe('Options of the level-1 model, checked by its own schema.'),
      surpriseThreshold: z.number().positive().default(HIERARCHY_DEFAULTS.surpriseThreshold).describe('Level-1 surprise (gap between predicted and observed representation) above which the waypoints are replanned.'),
      reachedRadius: z.number().positive().default(HIERARCHY_DEFAULTS.reachedRadius).describe('A waypoint counts as reached within this distance (m).'),
      stallSeconds: z.number().positive().default(HIERARCHY_DEFAULTS.stallSeconds).describe('Moving less than stallDistance over this many seconds while navigating is a stall: the waypoints are replanned.'),
      stallDistance: z.number().min(0).default(HIERARCHY_DEFAULTS.stallDistance).describe('Distance (m) the robot must cover in stallSeconds not to count as stalled.'),
    })
    .strict();
}

export type HierarchicalConfig = z.infer<ReturnType<typeof hierarchicalSchema>>;

export function defineHierarchicalPlanner(plugins: HierarchyPlugins): PlannerDefinition<HierarchicalConfig> {
  const schema = hierarchicalSchema(plugins);
  const levelModel = (name: string) => plugins.levelModels.find((m) => m.name === name);
  return definePlanner({
    name: 'hierarchical',
    description: 'Task tree → waypoints on a level-1 model → any low-level planner tracking the subgoal (default mppi).',
    schema,
    defaults: schema.parse({}),
    needsModel: true,
    capabilities: ['multi-level', 'task-tree'],
    // Planning on the simulator alone: a learned level-1 model gives way to its stand-in.
    withoutLearnedModels: (config) => ({ ...config, middle: levelModel(config.middle)?.standIn ?? config.middle }),
    create(config, context) {
      const names = context.observationSpec.names;
      const tree = chooseTree(plugins.trees, config.tree, names);
      if (config.low.planner === 'hierarchical') throw new ItineraError('hierarchical: the low level cannot be hierarchical itself');
      if (!context.subgoals) throw new ItineraError('hierarchical: this env cannot take subgoals, so the low level cannot be given one');
      const lowDefinition = plugins.planner(config.low.planner);
      const lowConfig = parseWithSchema(lowDefinition.schema, { ...lowDefinition.defaults, ...config.low.options }, `hierarchical low level (${lowDefinition.name})`);
      const channels = new Channels(names);
      const definition = levelModel(config.middle);
      const options = { config: config.level1, file: config.level1Model };
      const middleModel = definition && channels.hasAll(definition.channels) ? definition.create(options, channels) : undefined;
      const middle = middleModel && new WaypointPlanner(middleModel, { ...WAYPOINT_DEFAULTS, ...config.waypoints }, context.rng.seed);
      const low = lowDefinition.create(lowConfig, context);
      const { tree: _t, low: _l, middle: _m, waypoints: _w, level1: _1, level1Model: _f, ...levels } = config;
      const above: LevelSummary[] = [
        { level: TASK_LEVEL, planner: 'task tree', model: tree.name, kind: 'analytic', backend: 'typescript' },
        ...(middleModel ? [{ level: WAYPOINT_LEVEL, planner: 'waypoints (cem)', model: definition!.describe(options), kind: middleModel.kind, backend: middleModel.backend ?? 'unknown' }] : []),
      ];
      const body = plugins.bodies.find((b) => channels.hasAll(b.channels));
      const subgoals = context.subgoals;
      return new HierarchicalPlanner({ tree, low, channels, withSubgoal: (snapshot, subgoal) => subgoals.withSubgoal(snapshot, subgoal), body, middle, actionSize: context.actionSpec.size, config: levels, above, controlPlanner: config.low.planner });
    },
  });
}

/** The named tree, or with 'auto' the one tree whose channels the observation provides. */
export function chooseTree(trees: readonly TaskTree[], name: string, observationNames: readonly string[]): TaskTree {
  if (name !== 'auto') {
    const tree = trees.find((t) => t.name === name);
    if (!tree) throw new ItineraError(`hierarchical: unknown task tree '${name}' (known: ${trees.map((t) => t.name).join(', ') || 'none'})`);
    const missing = missingChannels(tree, observationNames);
    if (missing.length > 0) throw new ItineraError(`hierarchical: task tree '${name}' reads channels this env does not observe: ${missing.join(', ')}`);
    return tree;
  }
  const fitting = trees.filter((t) => missingChannels(t, observationNames).length === 0);
  if (fitting.length === 1) return fitting[0];
  if (fitting.length === 0) throw new ItineraError(`hierarchical: no task tree fits this scenario (trees: ${trees.map((t) => t.name).join(', ') || 'none'}); the scenario needs one`);
  throw new ItineraError(`hierarchical: several task trees fit this scenario (${fitting.map((t) => t.name).join(', ')}); pick one with --opt tree=NAME`);
}
