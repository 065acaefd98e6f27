import { parseOverrides, type EpisodeEvent, type RunSummary } from '@itinera/core';
import { JsonlRecorder, runEpisode } from '@itinera/runtime';
import { resolveOptions, setUpEpisode } from '../episode-setup.js';
import { builtinScenarios } from '../registries.js';
import { resolvePlanner } from '../planner-source.js';
import { resolveRobotAsync } from '../robot-source.js';
import { Progress } from '../progress.js';

export interface RunArgs {
  sim: string;
  robot?: string;
  endEffector?: string;
  planner: string;
  opt: string[];
  simOpt: string[];
  episodes: number;
  seed: number;
  record?: string;
  json: boolean;
  /** Physics step of the planner's simulator copy (coarser is faster, less exact). */
  modelPhysicsDt?: number;
  replanEvery?: number;
}

export async function runCommand(args: RunArgs): Promise<RunSummary> {
  const scenario = builtinScenarios().get(args.sim);
  const robot = await resolveRobotAsync(args.robot ?? scenario.defaultRobot, args.endEffector);
  const scenarioOptions = resolveOptions(scenario, parseOverrides(args.simOpt, '--sim-opt'), `--sim-opt (${scenario.name})`);
  const choice = resolvePlanner(args.planner, { options: parseOverrides(args.opt, '--opt'), modelPhysicsDt: args.modelPhysicsDt, replanEvery: args.replanEvery }, '--opt');

  const setup = await setUpEpisode({
    scenario,
    scenarioOptions,
    robot,
    planner: choice.definition,
    plannerConfig: choice.config,
    seed: args.seed,
    modelPhysicsDt: choice.modelPhysicsDt,
    replanEvery: choice.replanEvery,
  });
  const { env, planner } = setup;
  const recorder = args.record ? new JsonlRecorder(args.record) : undefined;
  const progress = new Progress(args.episodes, `${scenario.name} · ${robot.name} · ${choice.label}`);
  const summary: RunSummary = { scenario: scenario.name, robot: robot.name, planner: choice.label, model: 'sim', backend: 'none', successRate: 0, episodes: [] };
  try {
    for (let i = 0; i < args.episodes; i++) {
      const seed = args.seed + i;
      const onEvent = (event: EpisodeEvent) => recorder?.write(event);
      const episode = await runEpisode(env, planner, { seed, onEvent, replanEvery: setup.replanEvery });
      summary.episodes.push(episode);
      progress.episodeDone(episode);
    }
  } finally {
    progress.stop();
    recorder?.close();
    setup.free();
  }
  summary.successRate = summary.episodes.filter((e) => e.success).length / summary.episodes.length;
  return summary;
}

export function formatRunSummary(s: RunSummary): string {
  const lines = [`${s.scenario} · robot ${s.robot} · planner ${s.planner} · model ${s.model}`];
  for (const e of s.episodes) {
    const outcome = e.success ? 'success' : `failed (${e.failure})`;
    lines.push(`  seed ${e.seed}: ${outcome} after ${e.steps} steps, ${e.simTime.toFixed(2)} s simulated, ${(e.wallMs / 1000).toFixed(2)} s wall, plan ${e.planMs.mean.toFixed(2)} ms (p95 ${e.planMs.p95.toFixed(2)})`);
  }
  const successes = s.episodes.filter((e) => e.success).length;
  lines.push(`success rate ${s.successRate.toFixed(2)} (${successes}/${s.episodes.length})`);
  return lines.join('\n');
}
