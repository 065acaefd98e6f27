// The explicit lists of built-in plug-ins: nothing is discovered by scanning directories.
import { Registry, type PlannerDefinition, type ScenarioDefinition } from '@itinera/core';
import { cemPlanner, gradientPlanner, mppiPlanner, predictiveSamplingPlanner, randomPlanner, zeroPlanner } from '@itinera/mpc';
import { antGoto } from '@itinera/sim-ant-goto';
import { push } from '@itinera/sim-push';
import { reach } from '@itinera/sim-reach';

export function builtinScenarios(): Registry<ScenarioDefinition<any>> {
  return new Registry<ScenarioDefinition<any>>('sim').register(reach).register(push).register(antGoto);
}

export function builtinPlanners(): Registry<PlannerDefinition<any>> {
  return new Registry<PlannerDefinition<any>>('planner')
    .register(zeroPlanner)
    .register(randomPlanner)
    .register(predictiveSamplingPlanner)
    .register(cemPlanner)
    .register(mppiPlanner)
    .register(gradientPlanner);
}
