import { hasCapability, ItineraError, parseOverrides, type EpisodeEvent, type RunSummary } from '@itinera/core';
import { JsonlRecorder, runEpisode } from '@itinera/runtime';
import { adaptingEpisode } from '../adapting-episode.js';
import { resolveOptions, setUpEpisode } from '../episode-setup.js';
import { formatLevels, summaryModel } from '../level-report.js';
import { scenarioNamed } from '../registries.js';
import { resolvePlanner } from '../planner-source.js';
import { resolveRobotAsync, type RobotLoadOptions } from '../robot-source.js';
import { runProgress } from '../progress.js';
import { taskTreeOf } from '../task-tree-display.js';
import { formatViewSummary, viewCommand } from './view.js';

export interface RunArgs {
  sim: string;
  robot?: string;
  endEffector?: string;
  /** Base and package-path overrides for the robot file. */
  robotLoad?: RobotLoadOptions;
  /** Default: the scenario's own (its `defaultPlanner`). */
  planner?: string;
  opt: string[];
  simOpt: string[];
  episodes: number;
  seed: number;
  record?: string;
  /** Also write the replay page beside the recording. */
  view?: boolean;
  json: boolean;
  /** Physics step of the planner's simulator copy (coarser is faster, less exact). */
  modelPhysicsDt?: number;
  replanEvery?: number;
  /** 'sim' or a trained world-model directory. */
  model?: string;
  backend?: string;
  /** What a learned model's rollouts run on: 'tfjs' (default) or 'onnx' (onnxruntime-node, inference only). */
  rollouts?: 'tfjs' | 'onnx';
  /** onnxruntime's intra-op threads with rollouts 'onnx' (default 1). */
  onnxThreads?: number;
  /** Threads that roll out the simulator copy's samples (default 1); plans are the same bits on any number. */
  threads?: number;
  /** Wall-clock pace, acting on the latest finished plan while the next is computed on worker threads (not deterministic). */
  realtime?: boolean;
  /** Correct the learned model online from surprising transitions, across the run's episodes. */
  adapt?: boolean;
  adaptOpt?: string[];
  /** Datasets replayed against forgetting (default: those the model's metrics.json names). */
  adaptData?: string[];
  /** Where the adapted model is written at the end of the run (loadable by --model). */
  adaptSave?: string;
}

export async function runCommand(args: RunArgs): Promise<RunSummary> {
  const scenario = scenarioNamed(args.sim);
  const plannerName = args.planner ?? scenario.defaultPlanner;
  if (plannerName === undefined) throw new ItineraError(`sim '${scenario.name}' names no default planner: pass --planner (see \`itinera list planners\`)`);
  const robot = await resolveRobotAsync(args.robot ?? scenario.defaultRobot, args.endEffector, undefined, args.robotLoad);
  const scenarioOptions = resolveOptions(scenario, parseOverrides(args.simOpt, '--sim-opt'), `--sim-opt (${scenario.name})`);
  const choice = resolvePlanner(plannerName, { options: parseOverrides(args.opt, '--opt'), modelPhysics: { physicsDt: args.modelPhysicsDt }, replanEvery: args.replanEvery }, '--opt');

  if (args.realtime && hasCapability(choice.definition, 'multi-level')) throw new ItineraError(`--realtime plans one level: '${choice.label}' has levels above control (use mppi, cem or predictive-sampling)`);
  const setup = await setUpEpisode({
    scenario,
    scenarioOptions,
    robot,
    planner: choice.definition,
    plannerConfig: choice.config,
    seed: args.seed,
    modelPhysics: choice.modelPhysics,
    replanEvery: choice.replanEvery,
    model: args.model,
    presetModels: choice.worldModels,
    backend: args.backend,
    rollouts: args.rollouts,
    onnxThreads: args.onnxThreads,
    threads: args.threads,
    realtime: args.realtime,
    ...(args.adapt && { adapt: { options: parseOverrides(args.adaptOpt ?? [], '--adapt-opt'), data: args.adaptData } }),
  });
  const { env, planner, adaptation } = setup;
  const recorder = args.record ? new JsonlRecorder(args.record) : undefined;
  const progress = runProgress({ total: args.episodes, label: `${scenario.name} · ${robot.name} · ${choice.label}`, tree: taskTreeOf(planner) });
  const summary: RunSummary = { scenario: scenario.name, robot: robot.name, planner: choice.label, model: summaryModel(setup.levels, args.model ?? choice.worldModels[scenario.name] ?? 'sim'), backend: setup.backend, levels: setup.levels, successRate: 0, episodes: [], ...(args.realtime && { realtime: true as const }) };
  try {
    for (let i = 0; i < args.episodes; i++) {
      const seed = args.seed + i;
      const onEvent = (event: EpisodeEvent) => (recorder?.write(event), progress.event(event));
      // A recording carries what the replay viewer draws (scene, frames, predicted paths), so any can be viewed later.
      // Adaptation's surprise and updates go into the recording too, for the replay's adaptation plot.
      const adapting = adaptation && adaptingEpisode(adaptation, onEvent);
      const episode = await runEpisode(env, planner, { seed, onEvent, replanEvery: setup.replanEvery, viewerData: recorder !== undefined, model: setup.model, realtime: args.realtime, onTransition: adapting?.onTransition, exploration: adapting?.exploration });
      if (adapting) episode.adaptation = adapting.end(episode);
      summary.episodes.push(episode);
      progress.episodeDone(episode);
    }
    if (adaptation && args.adaptSave) {
      // A fitted action map goes into the predictors' weights; a latent offset (a state estimate, not a weight) is not saved.
      adaptation.model.bakeActionMap();
      adaptation.model.save(args.adaptSave, adaptation.model.file.trainedSteps + adaptation.totalSteps, setup.backend);
    }
  } finally {
    progress.stop();
    recorder?.close();
    setup.free();
  }
  if (args.view && args.record) process.stderr.write(formatViewSummary(await viewCommand({ episode: args.record })) + '\n');
  summary.successRate = summary.episodes.filter((e) => e.success).length / summary.episodes.length;
  return summary;
}

export function formatRunSummary(s: RunSummary): string {
  const lines = [`${s.scenario} · robot ${s.robot} · planner ${s.planner} · model ${s.model}${s.backend !== 'none' ? ` on ${s.backend}` : ''}`, ...formatLevels(s.levels).map((line) => `  ${line}`)];
  for (const e of s.episodes) {
    const outcome = e.success ? 'success' : `failed (${e.failure})`;
    lines.push(`  seed ${e.seed}: ${outcome} after ${e.steps} steps, ${e.simTime.toFixed(2)} s simulated, ${(e.wallMs / 1000).toFixed(2)} s wall, plan ${e.planMs.mean.toFixed(2)} ms (p50 ${e.planMs.p50.toFixed(2)}, p95 ${e.planMs.p95.toFixed(2)})${s.realtime ? `, ${plansPerSecond(e).toFixed(1)} plans/s` : ''}`);
    if (e.adaptation) lines.push(`    adapt: mean surprise ${e.adaptation.meanSurprise}, ${e.adaptation.buffered} steps buffered, ${e.adaptation.steps} gradient steps in ${(e.adaptation.cpuMs / 1000).toFixed(2)} s CPU${e.adaptation.actionMap ? `, action map ${JSON.stringify(e.adaptation.actionMap)}` : ''}`);
  }
  const successes = s.episodes.filter((e) => e.success).length;
  lines.push(`success rate ${s.successRate.toFixed(2)} (${successes}/${s.episodes.length})`);
  return lines.join('\n');
}

/** Plans finished per wall-clock second of a real-time episode (the start plan and every replan). */
export function plansPerSecond(e: RunSummary['episodes'][number]): number {
  return (e.replans + 1) / (e.wallMs / 1000);
}
