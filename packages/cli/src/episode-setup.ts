// What `run` and `bench` share: options validated against a plug-in's schema, and env + model + planner built for a seed.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { hasCapability, ItineraError, parseWithSchema, Rng, type DynamicsModel, type Env, type LevelSummary, type Planner, type PlannerDefinition, type RobotSpec, type ScenarioDefinition, type StandardSchemaV1, subgoalWriter } from '@itinera/core';
import { createEnv, ParallelSimulatorModel, SimulatorModel, type PlanningPhysics } from '@itinera/physics';
import { learnedBackend, planningLevels } from './level-report.js';
import { closedKeys } from './option-schema.js';
import { builtinScenarios } from './registries.js';
import { didYouMean } from './suggest.js';

/** A plug-in's defaults overlaid with the user's overrides, validated; errors start with `where`, unknown keys list the valid ones. */
export function resolveOptions<T>(plugin: { schema: StandardSchemaV1<unknown, T>; defaults: T }, overrides: Record<string, unknown>, where: string): T {
  const keys = closedKeys(plugin.schema);
  const unknown = keys ? Object.keys(overrides).filter((k) => !keys.includes(k)) : [];
  if (unknown.length > 0) throw new ItineraError(unknown.map((k) => `${where}: unknown key '${k}'${didYouMean(k, keys!)} (valid keys: ${keys!.join(', ')})`));
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
  /** The planner's simulator copy: coarser physics step, fewer solver iterations (faster, less exact). */
  modelPhysics?: PlanningPhysics;
  /** Plan every this many control steps (default 1). */
  replanEvery?: number;
  /**
   * A trained world-model directory; 'sim' for the simulator alone at every level; unset: the simulator at level 0
   * plus the planner preset's own models (the default hierarchical preset's learned level 1).
   */
  model?: string;
  /** The planner preset's trained level-0 model per scenario id: used when `model` is unset. */
  presetModels?: Record<string, string>;
  /** TensorFlow.js backend of a learned model: 'auto', 'node-gpu', 'node', 'wasm', 'wasm-onnx' or 'cpu'. */
  backend?: string;
  /**
   * What a learned model's rollouts run on: 'tfjs' (default), or 'onnx': the predictor(s) and readout on
   * onnxruntime-node (encoder and cost stay on tfjs). Inference only: the gradient planner with 'onnx' is an error.
   */
  rollouts?: 'tfjs' | 'onnx';
  /** onnxruntime's intra-op threads with rollouts 'onnx' (default 1). */
  onnxThreads?: number;
  /**
   * Threads that roll out a plan's samples (default 1): the main thread and threads − 1 workers, each with its own
   * simulator copy (plans bit-identical to one thread), or its own onnxruntime sessions with rollouts 'onnx' (the same
   * bits in our tests: onnxruntime 1.30 on x86-64). The tfjs rollouts of a learned model ignore it.
   */
  threads?: number;
  /**
   * Plans for a real-time episode: the simulator copy's rollouts all run on worker threads (`threads` of them), none on
   * the main thread; a learned model's (rollouts 'onnx' only) are shared with the main thread, one share of a few ms.
   */
  realtime?: boolean;
  /**
   * Online adaptation of a learned level-0 model (`--adapt`): options (`--adapt-opt`) and the datasets it replays
   * against forgetting (default: those the model's metrics.json names).
   */
  adapt?: { options: Record<string, unknown>; data?: string[] };
  /** Sees the level-0 model before the planner gets it and may wrap it (eval-model's probes). */
  wrapModel?: (model: DynamicsModel) => DynamicsModel;
}

export interface EpisodeSetup {
  env: Env;
  model?: DynamicsModel;
  /** What learned models run on: the TensorFlow.js backend (or onnxruntime-node beside it), 'typescript' for a preset's level-1 network alone, 'none' when none is learned. */
  backend: string;
  /** Per level, top first: what it plans on (declared by the planner's levels and the models). */
  levels: LevelSummary[];
  /** Sampling planners also report their rollout `budget` per plan. */
  planner: Planner & { readonly budget?: number };
  replanEvery: number;
  /** With `adapt`: what corrects the learned model from surprising transitions, across episodes. */
  adaptation?: import('@itinera/world-model').OnlineAdaptation;
  /** Releases the wasm memory of all three. */
  free(): void;
}

export async function setUpEpisode(choice: EpisodeChoice): Promise<EpisodeSetup> {
  const { scenario, scenarioOptions, robot } = choice;
  const presetModels = choice.presetModels ?? {};
  // A preset that plans on learned models must not quietly fall back to the simulator on a scenario it has none for.
  if (choice.model === undefined && Object.keys(presetModels).length > 0 && !presetModels[scenario.name]) {
    throw new ItineraError(`the planner preset has trained level-0 models for ${Object.keys(presetModels).join(', ')}, not ${scenario.name}: pass --model DIR or --model sim`);
  }
  const modelDir = choice.model ?? presetModels[scenario.name];
  const learned = modelDir !== undefined && modelDir !== 'sim' ? await import('@itinera/world-model') : undefined;
  const live = await createEnv(scenario, robot, { scenarioOptions });
  // A learned model starts from the observation, so the env's snapshots carry it.
  const env: Env = learned ? new learned.ObservedEnv(live) : live;
  let model: DynamicsModel | undefined;
  let adaptation: EpisodeSetup['adaptation'];
  let backend = 'none';
  try {
    if (choice.adapt && !(learned && choice.planner.needsModel)) throw new ItineraError('--adapt corrects a learned world model: pass --model DIR and a planner that plans on it');
    if (choice.adapt && choice.rollouts === 'onnx') throw new ItineraError('--adapt updates the tfjs weights, which --rollouts onnx copies into its graphs: use --rollouts tfjs');
    if (choice.rollouts === 'onnx' && !learned) throw new ItineraError(`--rollouts onnx runs a trained world model, and this run plans ${scenario.name} on the simulator: pass --model DIR (or a preset with worldModels for it)`);
    if (learned && choice.planner.needsModel) {
      // tfjs rollouts run on the main thread, which steps the world: a plan there would stall the clock.
      if (choice.realtime && choice.rollouts !== 'onnx') throw new ItineraError('--realtime plans a learned model only with --rollouts onnx (its samples on worker threads): add --rollouts onnx, or use --model sim');
      backend = (await learned.initBackend(parseBackend(choice.backend, learned.isBackendName))).description;
      let latent;
      if (choice.rollouts === 'onnx') {
        // onnxruntime gives no gradients; rather than quietly planning on tfjs, say so.
        if (hasCapability(choice.planner, 'differentiable-model')) throw new ItineraError(`--rollouts onnx is inference only and planner '${choice.planner.name}' needs the cost's gradient: use --rollouts tfjs, or a sampling planner (mppi, cem, predictive-sampling)`);
        latent = await learned.OnnxLatentModel.load(modelDir!, { threads: choice.threads, intraOpThreads: choice.onnxThreads });
        if (latent.model.file.config.planning?.cost === 'task') {
          latent.free();
          throw new ItineraError(`--rollouts onnx charges a model's config cost, and ${modelDir} plans on its task's cost (planning.cost: task): use --rollouts tfjs`);
        }
        backend = `${latent.description}, encoder and cost on tfjs ${backend}`;
      } else {
        const world = learned.WorldModel.load(modelDir!);
        // 'task': the scenario's own residuals on the decoded channels, so a level above's subgoals apply on the model.
        latent = world.file.config.planning?.cost === 'task' ? new learned.TaskCostLatentModel(world, scenario.create(scenarioOptions, robot), robot) : new learned.LatentDynamicsModel(world);
      }
      model = latent;
      const mismatch = learned.modelMismatch(latent, env);
      if (mismatch) throw new ItineraError(`--model ${modelDir} does not fit this run: ${mismatch}`);
      if (choice.adapt) adaptation = await adaptationFor(learned, latent.model, modelDir!, choice.adapt);
    } else if (choice.planner.needsModel) {
      // Planners roll out on their own copy of the scenario: the simulator as an oracle model.
      model = await SimulatorModel.create(scenario, robot, { scenarioOptions }, choice.modelPhysics);
      if ((choice.threads ?? 1) > 1 || choice.realtime) model = await parallelCopies(model as SimulatorModel, choice);
    }
    const config = modelDir === 'sim' && choice.planner.withoutLearnedModels ? choice.planner.withoutLearnedModels(choice.plannerConfig) : choice.plannerConfig;
    const planner = choice.planner.create(config, {
      actionSpec: env.actionSpec,
      observationSpec: env.observationSpec,
      controlDt: env.controlDt,
      rng: new Rng(choice.seed),
      model: model && choice.wrapModel ? choice.wrapModel(model) : model,
      subgoals: env.withSubgoal && subgoalWriter(env),
    });
    const levels = planningLevels(planner, model, modelDir ?? 'sim', backend);
    return {
      env,
      model,
      // A preset's learned level-1 network says what runs it (plain TypeScript): learned, though no tfjs is involved.
      backend: learnedBackend(levels, backend),
      levels,
      planner,
      replanEvery: choice.replanEvery ?? 1,
      ...(adaptation && { adaptation }),
      free() {
        adaptation?.dispose();
        planner.dispose();
        model?.free();
        env.free();
      },
    };
  } catch (error) {
    adaptation?.dispose();
    model?.free();
    env.free();
    throw error;
  }
}

/** The model's online adaptation, replaying `adapt.data` or the datasets its metrics.json names. */
async function adaptationFor(learned: typeof import('@itinera/world-model'), world: import('@itinera/world-model').WorldModel, modelDir: string, adapt: NonNullable<EpisodeChoice['adapt']>) {
  const options = parseWithSchema(learned.adaptOptionsSchema, adapt.options, '--adapt-opt');
  if (options.replay === 0) return new learned.OnlineAdaptation(world, options);
  const metricsFile = join(modelDir, 'metrics.json');
  const named = existsSync(metricsFile) ? (JSON.parse(readFileSync(metricsFile, 'utf8')) as { data?: string[] }).data : undefined;
  // metrics.json names them relative to the model directory.
  const dirs = adapt.data ?? named?.map((d) => resolve(modelDir, d));
  if (!dirs) throw new ItineraError(`--adapt: ${modelDir} does not name its training data; pass --adapt-data DIR (or --adapt-opt replay=0 to adapt without replaying it)`);
  const missing = adapt.data ? [] : dirs.filter((d) => !existsSync(join(d, 'manifest.json')));
  if (missing.length > 0) throw new ItineraError(`--adapt replays ${modelDir}'s training data against forgetting, and ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not here (the README's remake commands collect ${missing.length === 1 ? 'it' : 'them'}); pass --adapt-data DIR, or --adapt-opt replay=0 to adapt without it`);
  const { parts } = learned.readDatasets(dirs);
  return new learned.OnlineAdaptation(world, options, parts.flat());
}

const ROLLOUT_WORKER = new URL('./rollout-worker.js', import.meta.url);

/** The simulator copy with its samples spread over `choice.threads` threads; workers rebuild the scenario by its registered name. */
async function parallelCopies(local: SimulatorModel, choice: EpisodeChoice): Promise<ParallelSimulatorModel> {
  const registry = builtinScenarios();
  if (!registry.has(choice.scenario.name) || registry.get(choice.scenario.name) !== choice.scenario) {
    throw new ItineraError(`${choice.realtime ? '--realtime' : `--threads ${choice.threads}`}: worker threads rebuild scenarios from the registry, and '${choice.scenario.name}' is not a registered scenario${choice.realtime ? '' : ': use --threads 1'}`);
  }
  const recipe = { scenario: choice.scenario.name, robot: choice.robot, options: { scenarioOptions: choice.scenarioOptions }, planning: choice.modelPhysics ?? {} };
  // On failure the caller frees `local` (still its model).
  return ParallelSimulatorModel.create(local, recipe, { threads: choice.threads ?? 1, workerFile: ROLLOUT_WORKER, mainThreadHelps: !choice.realtime });
}

function parseBackend<T extends string>(name: string | undefined, isName: (n: string) => n is T): 'auto' | T {
  if (name === undefined || name === 'auto') return 'auto';
  if (!isName(name)) throw new ItineraError(`--backend must be auto, node-gpu, node, wasm or cpu (got '${name}')`);
  return name;
}
