import { parseOverrides, parseWithSchema, Rng, type EpisodeEvent, type RunSummary } from '@itinera/core';
import { createEnv, SimulatorModel } from '@itinera/physics';
import { runEpisode } from '@itinera/runtime';
import { JsonlRecorder } from '../recorder.js';
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
}

export async function runCommand(args: RunArgs): Promise<RunSummary> {
  const scenario = builtinScenarios().get(args.sim);
  const plannerDef = builtinPlanners().get(args.planner);
  const robot = resolveRobot(args.robot ?? scenario.defaultRobot, args.endEffector);
  const scenarioOptions = parseWithSchema(scenario.schema, { ...scenario.defaults, ...parseOverrides(args.simOpt, '--sim-opt') }, `--sim-opt (${scenario.name})`);
  const plannerConfig = parseWithSchema(plannerDef.schema, { ...plannerDef.defaults, ...parseOverrides(args.opt, '--opt') }, `--opt (${plannerDef.name})`);

  const env = await createEnv(scenario, robot, { scenarioOptions });
  // Planners roll out on their own copy of the scenario: the simulator as an oracle model.
  const model = plannerDef.needsModel ? await SimulatorModel.create(scenario, robot, { scenarioOptions }) : undefined;
  const planner = plannerDef.create(plannerConfig, {
    actionSpec: env.actionSpec,
    observationSpec: env.observationSpec,
    controlDt: env.controlDt,
    rng: new Rng(args.seed),
    model,
  });
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
    planner.dispose();
    model?.free();
    env.free();
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
