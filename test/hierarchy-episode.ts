// Shared by the rooms and commute tests: a hierarchical (or flat) planner on a scenario's env, built like the CLI does.
import { parseWithSchema, subgoalWriter, type Env, type EpisodeEvent, type EpisodeSummary, type ScenarioDefinition } from '@itinera/core';
import { builtinPlanners } from '@itinera/cli';
import { loadBuiltinRobot } from '@itinera/robots';
import { createEnv, SimulatorModel } from '@itinera/physics';
import { runEpisode } from '@itinera/runtime';
import { Rng } from '@itinera/core';

/** The low level of the rover presets (configs/planners/rover-mppi.yaml), smaller for tests. */
export const TEST_LOW = { samples: 12, horizon: 15, knots: 3, noise: 0.5 };

export async function hierarchicalEpisode(
  scenario: ScenarioDefinition<any>,
  options: { seed: number; maxSteps: number; scenarioOptions?: Record<string, unknown>; planner?: Record<string, unknown>; wrap?: (env: Env) => Env; onEvent?: (e: EpisodeEvent) => void },
): Promise<{ summary: EpisodeSummary; events: EpisodeEvent[] }> {
  const robot = loadBuiltinRobot('rover');
  const scenarioOptions = { ...scenario.defaults, ...options.scenarioOptions, maxSteps: options.maxSteps };
  const env = await createEnv(scenario, robot, { scenarioOptions });
  const model = await SimulatorModel.create(scenario, robot, { scenarioOptions }, { physicsDt: 0.02 });
  const definition = builtinPlanners().get('hierarchical');
  const config = parseWithSchema(definition.schema, { ...definition.defaults, low: { planner: 'mppi', options: TEST_LOW }, ...options.planner }, 'test');
  const planner = definition.create(config, { actionSpec: env.actionSpec, observationSpec: env.observationSpec, controlDt: env.controlDt, rng: new Rng(0), model, subgoals: subgoalWriter(env) });
  const events: EpisodeEvent[] = [];
  try {
    const live = options.wrap ? options.wrap(env) : env;
    const summary = await runEpisode(live, planner, { seed: options.seed, replanEvery: 2, onEvent: (e) => (events.push(e), options.onEvent?.(e)) });
    return { summary, events };
  } finally {
    planner.dispose();
    model.free();
    env.free();
  }
}

export const subgoalEvents = (events: EpisodeEvent[]) =>
  events.flatMap((e) => (e.type === 'subgoal-done' || e.type === 'subgoal-failed' ? [`${e.type === 'subgoal-done' ? 'done' : 'failed'} ${e.name}`] : []));
