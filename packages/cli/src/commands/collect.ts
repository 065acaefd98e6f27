// `itinera collect`: experience from a scenario, appended to a dataset directory — exploratory coloured-noise torques
// (optionally steered by an ensemble's curiosity), or a planner reaching the scenario's random goals (MPC) with
// coloured noise added to its actions.
import cliProgress from 'cli-progress';
import { parseOverrides } from '@itinera/core';
import { createEnv } from '@itinera/physics';
import { runEpisode } from '@itinera/runtime';
import { collect, datasetSpec, DatasetWriter, EnsembleDisagreement, episodeSeed, initBackend, RecordingEnv, WorldModel, type BackendRequest, type Manifest } from '@itinera/world-model';
import { resolveOptions, setUpEpisode } from '../episode-setup.js';
import { resolvePlanner } from '../planner-source.js';
import { scenarioNamed } from '../registries.js';
import { resolveRobotAsync } from '../robot-source.js';

export interface CollectArgs {
  sim: string;
  robot?: string;
  endEffector?: string;
  simOpt: string[];
  steps: number;
  seed: number;
  out: string;
  episodeSteps?: number;
  /** A trained ensemble model directory that steers exploration toward its disagreement. */
  curiosity?: string;
  /** A planner (or preset) that drives the robot to the scenario's goals instead of pure noise. */
  planner?: string;
  opt?: string[];
  /** What the planner rolls out on: 'sim' or a trained model directory. */
  model?: string;
  /** Upper end of the per-episode noise added to the planner's actions, as a share of each actuator's half range. */
  actionNoise?: number;
  backend?: BackendRequest;
  /** Threads that roll out the planner's samples on the simulator copy (default 1). */
  threads?: number;
}

export async function collectCommand(args: CollectArgs): Promise<Manifest> {
  const scenario = scenarioNamed(args.sim);
  const robot = await resolveRobotAsync(args.robot ?? scenario.defaultRobot, args.endEffector);
  const scenarioOptions = resolveOptions(scenario, parseOverrides(args.simOpt, '--sim-opt'), `--sim-opt (${scenario.name})`) as Record<string, unknown>;
  const progress = collectProgress(`collect ${scenario.name}`, args.steps);
  try {
    if (args.planner) return await collectWithPlanner(args, scenarioOptions, progress.update);
    let curiosity: EnsembleDisagreement | undefined;
    if (args.curiosity) {
      const backend = await initBackend(args.backend ?? 'auto');
      process.stderr.write(`itinera: curiosity from ${args.curiosity} on ${backend.description}\n`);
      curiosity = new EnsembleDisagreement(WorldModel.load(args.curiosity), args.curiosity);
    }
    const env = await createEnv(scenario, robot, { scenarioOptions });
    try {
      return collect(env, args.out, { steps: args.steps, seed: args.seed, scenarioOptions, episodeSteps: args.episodeSteps, curiosity, onProgress: progress.update });
    } finally {
      env.free();
      curiosity?.dispose();
    }
  } finally {
    progress.stop();
  }

  /** Whole episodes of the planner toward each seed's goal, through the same runner as `itinera run`, recorded with their noise. */
  async function collectWithPlanner(a: CollectArgs, options: Record<string, unknown>, onProgress: (done: number) => void): Promise<Manifest> {
    const choice = resolvePlanner(a.planner!, { options: parseOverrides(a.opt ?? [], '--opt') }, '--opt');
    const setup = await setUpEpisode({ scenario, scenarioOptions: options, robot, planner: choice.definition, plannerConfig: choice.config, seed: a.seed, modelPhysics: choice.modelPhysics, replanEvery: choice.replanEvery, model: a.model, presetModels: choice.worldModels, backend: a.backend, threads: a.threads });
    const amplitude = a.actionNoise ?? 0.3;
    const env = new RecordingEnv(setup.env, amplitude);
    // What level 0 rolled out on: --model, a preset's trained model, or the simulator.
    const model = a.model ?? setup.levels.find((l) => l.level === 0 && l.kind === 'learned')?.model ?? 'sim';
    const policy = `mpc (${choice.label} on ${model}, action noise ≤ ${amplitude})`;
    const writer = new DatasetWriter(a.out, datasetSpec(setup.env, options), a.seed, policy, { kind: 'mpc', planner: choice.label, model, actionNoise: amplitude });
    try {
      let done = 0;
      while (done < a.steps) {
        await runEpisode(env, setup.planner, { seed: episodeSeed(a.seed, writer.episodesOfRun), replanEvery: setup.replanEvery });
        const episode = env.episode();
        writer.add(episode);
        done += Math.max(1, episode.steps);
        onProgress(Math.min(done, a.steps));
      }
      return writer.flush();
    } finally {
      setup.free();
    }
  }
}

/** A progress bar on a terminal, else a line per tenth. */
function collectProgress(label: string, total: number): { update: (done: number) => void; stop: () => void } {
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar({ stream: process.stderr, format: `${label} [{bar}] {value}/{total} steps · {eta_formatted}`, hideCursor: true }, cliProgress.Presets.shades_classic)
    : undefined;
  bar?.start(total, 0);
  let reported = 0;
  return {
    update(done) {
      bar?.update(done);
      if (!bar && done * 10 >= (reported + 1) * total) {
        reported = Math.floor((done * 10) / total);
        process.stderr.write(`${label}: ${done}/${total} steps\n`);
      }
    },
    stop: () => bar?.stop(),
  };
}

export function formatCollectSummary(m: Manifest, out: string): string {
  return `${out}: ${m.steps} steps in ${m.episodes} episodes, ${m.chunks.length} chunks (${m.scenario} · ${m.robot} · ${m.observation.names.length} observation channels)`;
}
