import { parseOverrides, type EpisodeEvent, type RunSummary } from '@itinera/core';
import { JsonlRecorder, runEpisode } from '@itinera/runtime';
import { resolveOptions, setUpEpisode } from '../episode-setup.js';
import { builtinPlanners, builtinScenarios } from '../registries.js';
import { resolveRobot } from '../robot-source.js';
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
}

export async function runCommand(args: RunArgs): Promise<RunSummary> {
  const scenario = builtinScenarios().get(args.sim);
  const plannerDef = builtinPlanners().get(args.planner);
  const robot = resolveRobot(args.robot ?? scenario.defaultRobot, args.endEffector);
  const scenarioOptions = resolveOptions(scenario, parseOverrides(args.simOpt, '--sim-opt'), `--sim-opt (${scenario.name})`);
  const plannerConfig = resolveOptions(plannerDef, parseOverrides(args.opt, '--opt'), `--opt (${plannerDef.name})`);

  const setup = await setUpEpisode({ scenario, scenarioOptions, robot, planner: plannerDef, plannerConfig, seed: args.seed, modelPhysicsDt: args.modelPhysicsDt });
  const { env, planner } = setup;
  const recorder = args.record ? new JsonlRecorder(args.record) : undefined;
  const progress = new Progress(args.episodes, `${scenario.name} · ${robot.name} · ${plannerDef.name}`);
  const summary: RunSummary = { scenario: scenario.name, robot: robot.name, planner: plannerDef.name, model: 'sim', backend: 'none', successRate: 0, episodes: [] };
  try {
    for (let i = 0; i < args.episodes; i++) {
      const seed = args.seed + i;
      const onEvent = (event: EpisodeEvent) => recorder?.write(event);
      const episode = await runEpisode(env, planner, { seed, onEvent });
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
