// A worker thread of `--threads N`: rebuilds the planner's simulator copy from the scenario's registered name.
import { serveRollouts, SimulatorModel } from '@itinera/physics';
import { builtinScenarios } from './registries.js';

await serveRollouts((recipe) => SimulatorModel.create(builtinScenarios().get(recipe.scenario), recipe.robot, recipe.options, recipe.planning));
