// What `run` and `bench` share: options validated against a plug-in's schema, and env + model + planner built for a seed.
import { parseWithSchema, Rng, type Env, type Planner, type PlannerDefinition, type RobotSpec, type ScenarioDefinition, type StandardSchemaV1 } from '@itinera/core';
import { createEnv, SimulatorModel } from '@itinera/physics';

/** A plug-in's defaults overlaid with the user's overrides, validated; errors start with `where`. */
export function resolveOptions<T>(plugin: { schema: StandardSchemaV1<unknown, T>; defaults: T }, overrides: Record<string, unknown>, where: string): T {
  return parseWithSchema(plugin.schema, { ...plugin.defaults, ...overrides }, where);
}

export interface EpisodeChoice {
  scenario: ScenarioDefinition<any>;
  /** Already validated against the scenario's schema (resolveOptions). */
  scenarioOptions: Record<string, unknown>;
  robot: RobotSpec;
  planner: PlannerDefinition<any>;
  plannerConfig: unknown;
  /** Seeds the planner's random stream (each episode reseeds it again through reset). */
  seed: number;
  /** Physics step of the planner's simulator copy (coarser is faster, less exact). */
  modelPhysicsDt?: number;
  /** Plan every this many control steps (default 1). */
  replanEvery?: number;
}

export interface EpisodeSetup {
  env: Env;
  model?: SimulatorModel;
  /** Sampling planners also report their rollout `budget` per plan. */
  planner: Planner & { readonly budget?: number };
  replanEvery: number;
  /** Releases the wasm memory of all three. */
  free(): void;
}

export async function setUpEpisode(choice: EpisodeChoice): Promise<EpisodeSetup> {
  const { scenario, scenarioOptions, robot } = choice;
  const env = await createEnv(scenario, robot, { scenarioOptions });
  let model: SimulatorModel | undefined;
  try {
    // Planners roll out on their own copy of the scenario: the simulator as an oracle model.
    model = choice.planner.needsModel ? await SimulatorModel.create(scenario, robot, { scenarioOptions }, choice.modelPhysicsDt) : undefined;
    const planner = choice.planner.create(choice.plannerConfig, {
      actionSpec: env.actionSpec,
      observationSpec: env.observationSpec,
      controlDt: env.controlDt,
      rng: new Rng(choice.seed),
      model,
    });
    return {
      env,
      model,
      planner,
      replanEvery: choice.replanEvery ?? 1,
      free() {
        planner.dispose();
        model?.free();
        env.free();
      },
    };
  } catch (error) {
    model?.free();
    env.free();
    throw error;
  }
}
