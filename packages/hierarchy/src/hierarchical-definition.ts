// The `hierarchical` planner plug-in. Built by whoever knows the concrete pieces (the CLI): the low-level planners
// by name, the scenarios' task trees, and how a subgoal is written into a snapshot.
import { definePlanner, ItineraError, parseWithSchema, type EnvSnapshot, type PlannerDefinition } from '@itinera/core';
import { z } from 'zod';
import { HIERARCHY_DEFAULTS, HierarchicalPlanner } from './hierarchical-planner.js';
import { KinematicRoverModel, ROVER_LEVEL1 } from './kinematic-rover.js';
import { LEARNED_LEVEL1_DEFAULTS, LearnedRoverModel, loadLevel1File } from './learned-rover.js';
import { Channels, type Subgoal } from './situation.js';
import { missingChannels, type TaskTree } from './task-tree.js';
import { WAYPOINT_DEFAULTS, WaypointPlanner } from './waypoint-planner.js';

const hierarchicalSchema = z
  .object({
    /** A task tree's name, or 'auto': the one tree whose channels the env's observation provides. */
    tree: z.string().min(1).default('auto'),
    /** The low-level planner and its options: it tracks the current subgoal on the level-0 model. */
    low: z
      .object({ planner: z.string().min(1).default('mppi'), options: z.record(z.string(), z.unknown()).default({}) })
      .strict()
      .default({ planner: 'mppi', options: {} }),
    /**
     * Level-1 model of the middle level: a network learned from the level-0 controller's own trajectories
     * (itinera collect --level 1, itinera train), a hand-written kinematic model of a wheeled base, or none.
     */
    middle: z.enum(['learned', 'kinematic', 'none']).default('kinematic'),
    /** The learned level-1 model's file (itinera train --out DIR writes DIR/level1.json); default: the shipped one. */
    level1Model: z.string().min(1).optional(),
    waypoints: z
      .object({ count: z.number().int().min(1).max(8), samples: z.number().int().min(2).max(4096), iterations: z.number().int().min(1).max(20), elites: z.number().int().min(1), spread: z.number().positive(), spacing: z.number().positive() })
      .partial()
      .strict()
      .default({}),
    level1: z
      .object({ speed: z.number().positive(), turnRate: z.number().positive(), stepSeconds: z.number().positive(), radius: z.number().positive(), clearanceWeight: z.number().min(0) })
      .partial()
      .strict()
      .default({}),
    surpriseThreshold: z.number().positive().default(HIERARCHY_DEFAULTS.surpriseThreshold),
    reachedRadius: z.number().positive().default(HIERARCHY_DEFAULTS.reachedRadius),
    stallSeconds: z.number().positive().default(HIERARCHY_DEFAULTS.stallSeconds),
    stallDistance: z.number().min(0).default(HIERARCHY_DEFAULTS.stallDistance),
  })
  .strict();

export type HierarchicalConfig = z.infer<typeof hierarchicalSchema>;

export interface HierarchyPlugins {
  /** A low-level planner by name (the CLI's registry). */
  planner(name: string): PlannerDefinition<any>;
  trees: readonly TaskTree[];
  withSubgoal(snapshot: EnvSnapshot, subgoal: Subgoal): EnvSnapshot;
  /** Where the shipped learned level-1 model lives, for `middle: learned` without `level1Model`. */
  defaultLevel1Model?: string;
}

export function defineHierarchicalPlanner(plugins: HierarchyPlugins): PlannerDefinition<HierarchicalConfig> {
  return definePlanner({
    name: 'hierarchical',
    description: 'Task tree → waypoints on a level-1 model → any low-level planner tracking the subgoal (default mppi).',
    schema: hierarchicalSchema,
    defaults: hierarchicalSchema.parse({}),
    needsModel: true,
    create(config, context) {
      const names = context.observationSpec.names;
      const tree = chooseTree(plugins.trees, config.tree, names);
      if (config.low.planner === 'hierarchical') throw new ItineraError('hierarchical: the low level cannot be hierarchical itself');
      const lowDefinition = plugins.planner(config.low.planner);
      const lowConfig = parseWithSchema(lowDefinition.schema, { ...lowDefinition.defaults, ...config.low.options }, `hierarchical low level (${lowDefinition.name})`);
      const channels = new Channels(names);
      const wheeled = ['base.x', 'base.y', 'base.qw'].every((c) => channels.has(c));
      // Asked to plan on the simulator alone, the middle level uses the analytic model, not the learned one.
      const kind = config.middle === 'learned' && context.learnedModels === false ? 'kinematic' : config.middle;
      const middleModel = !wheeled || kind === 'none' ? undefined : kind === 'kinematic' ? new KinematicRoverModel(channels, { ...ROVER_LEVEL1, ...config.level1 }) : learnedModel(channels, config, plugins);
      const middle = middleModel && new WaypointPlanner(middleModel, { ...WAYPOINT_DEFAULTS, ...config.waypoints }, context.rng.seed);
      const low = lowDefinition.create(lowConfig, context);
      const { tree: _t, low: _l, middle: _m, waypoints: _w, level1: _1, level1Model: _f, ...levels } = config;
      const extraModels = middleModel && `level 1: ${kind === 'learned' ? `learned (${config.level1Model ?? plugins.defaultLevel1Model})` : kind}`;
      return new HierarchicalPlanner({ tree, low, channels, withSubgoal: plugins.withSubgoal, middle, actionSize: context.actionSpec.size, config: levels, extraModels });
    },
  });
}

function learnedModel(channels: Channels, config: HierarchicalConfig, plugins: HierarchyPlugins): LearnedRoverModel {
  const path = config.level1Model ?? plugins.defaultLevel1Model;
  if (!path) throw new ItineraError('hierarchical: middle: learned needs --opt level1Model=DIR/level1.json (from itinera train with a level-1 config)');
  const { radius, clearanceWeight } = { ...ROVER_LEVEL1, ...config.level1 };
  return new LearnedRoverModel(channels, loadLevel1File(path), { ...LEARNED_LEVEL1_DEFAULTS, radius, clearanceWeight });
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
