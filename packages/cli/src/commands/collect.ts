// `itinera collect`: exploratory experience from a scenario, appended to a dataset directory.
import cliProgress from 'cli-progress';
import { parseOverrides } from '@itinera/core';
import { createEnv } from '@itinera/physics';
import { collect, type Manifest } from '@itinera/world-model';
import { resolveOptions } from '../episode-setup.js';
import { builtinScenarios } from '../registries.js';
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
}

export async function collectCommand(args: CollectArgs): Promise<Manifest> {
  const scenario = builtinScenarios().get(args.sim);
  const robot = await resolveRobotAsync(args.robot ?? scenario.defaultRobot, args.endEffector);
  const scenarioOptions = resolveOptions(scenario, parseOverrides(args.simOpt, '--sim-opt'), `--sim-opt (${scenario.name})`);
  const env = await createEnv(scenario, robot, { scenarioOptions });
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar({ stream: process.stderr, format: `collect ${scenario.name} [{bar}] {value}/{total} steps · {eta_formatted}`, hideCursor: true }, cliProgress.Presets.shades_classic)
    : undefined;
  bar?.start(args.steps, 0);
  let reported = 0;
  try {
    return collect(env, args.out, {
      steps: args.steps,
      seed: args.seed,
      scenarioOptions: scenarioOptions as Record<string, unknown>,
      episodeSteps: args.episodeSteps,
      onProgress: (done) => {
        bar?.update(done);
        // Without a terminal, a line per tenth.
        if (!bar && done * 10 >= (reported + 1) * args.steps) {
          reported = Math.floor((done * 10) / args.steps);
          process.stderr.write(`collect ${scenario.name}: ${done}/${args.steps} steps\n`);
        }
      },
    });
  } finally {
    bar?.stop();
    env.free();
  }
}

export function formatCollectSummary(m: Manifest, out: string): string {
  return `${out}: ${m.steps} steps in ${m.episodes} episodes, ${m.chunks.length} chunks (${m.scenario} · ${m.robot} · ${m.observation.names.length} observation channels)`;
}
