// The explicit lists of built-in plug-ins: nothing is discovered by scanning directories.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ItineraError, Registry, type LevelModelDefinition, type PlannerDefinition, type ScenarioDefinition, type TaskTree } from '@itinera/core';
import { defineHierarchicalPlanner, type HierarchyPlugins } from '@itinera/hierarchy';
import { cemPlanner, gradientPlanner, mppiPlanner, predictiveSamplingPlanner, randomPlanner, zeroPlanner } from '@itinera/mpc';
import { roverLevelModels, wheeledBase } from '@itinera/rover';
import { antGoto } from '@itinera/sim-ant-goto';
import { goto, stand } from '@itinera/sim-legged';
import { push } from '@itinera/sim-push';
import { reach, reachV2 } from '@itinera/sim-reach';
import { commute, commuteTree } from '@itinera/sim-commute';
import { rooms, roomsTree } from '@itinera/sim-rooms';
import { didYouMean } from './suggest.js';

/** The learned level-1 model shipped in the repository (scripts/train-level1.sh makes it again). */
export const SHIPPED_LEVEL1_MODEL = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'models', 'rover-level1', 'level1.json');
/** The latent level-1 model shipped in the repository (scripts/train-level1-latent.sh makes it again). */
export const SHIPPED_LATENT_LEVEL1_MODEL = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'models', 'rover-level1-latent', 'level1.json');

export function builtinScenarios(): Registry<ScenarioDefinition<any>> {
  return new Registry<ScenarioDefinition<any>>('sim').register(reach).register(reachV2).register(push).register(antGoto).register(stand).register(goto).register(rooms).register(commute);
}

/** A built-in scenario by name (a bare name is its newest version); an unknown name suggests the closest. */
export function scenarioNamed(name: string): ScenarioDefinition<any> {
  const registry = builtinScenarios();
  if (registry.has(name)) return registry.get(name);
  const known = registry.names();
  const bare = known.map((n) => n.replace(/-v\d+$/, ''));
  throw new ItineraError(`unknown sim '${name}'${didYouMean(name, [...bare, ...known])} (known: ${known.join(', ')})`);
}

/** The scenarios' task trees, for the hierarchical planner ('auto' picks the one the env's observation fits). */
export function builtinTaskTrees(): TaskTree[] {
  return [roomsTree, commuteTree];
}

/** What the hierarchical planner's levels plug in: the robots' level-1 models and mobile bodies. */
export function builtinLevels(): Pick<HierarchyPlugins, 'levelModels' | 'defaultMiddle' | 'bodies'> {
  return { levelModels: roverLevelModels(SHIPPED_LEVEL1_MODEL, SHIPPED_LATENT_LEVEL1_MODEL), defaultMiddle: 'kinematic', bodies: [wheeledBase] };
}

/** `wrapLevelModel` lets a caller see every level-1 model a multi-level planner creates (eval-model's probes). */
export function builtinPlanners(wrapLevelModel?: (definition: LevelModelDefinition<any>) => LevelModelDefinition<any>): Registry<PlannerDefinition<any>> {
  const registry = new Registry<PlannerDefinition<any>>('planner')
    .register(zeroPlanner)
    .register(randomPlanner)
    .register(predictiveSamplingPlanner)
    .register(cemPlanner)
    .register(mppiPlanner)
    .register(gradientPlanner);
  // The hierarchical planner wraps any of the others as its low level; the rover's level-1 models plug into it.
  const builtin = builtinLevels();
  const levels = wrapLevelModel ? { ...builtin, levelModels: builtin.levelModels.map(wrapLevelModel) } : builtin;
  return registry.register(defineHierarchicalPlanner({ planner: (name) => registry.get(name), trees: builtinTaskTrees(), ...levels }));
}
