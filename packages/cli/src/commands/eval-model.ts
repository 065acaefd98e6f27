// `itinera eval-model`: offline checks of the learned models a run plans on, per level. (1) k-step prediction error:
// level 0 on a held-out dataset (--data), level 1 on the simulator's outcomes of the probed candidates. (2) A ranking
// score: at states the real planner visits, Spearman between the model's and the reference's ordering of the
// planner's own candidates (what planning needs; low readout error alone did not predict planning success).
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Channels, hasCapability, ItineraError, parseOverrides, type LevelModelDefinition, type LevelModelOptions } from '@itinera/core';
import type { HierarchicalConfig } from '@itinera/hierarchy';
import { evaluateModel, formatEvaluation, initBackend, type BackendRequest, type ModelEvaluation } from '@itinera/world-model';
import { resolveOptions, setUpEpisode, type EpisodeChoice, type EpisodeSetup } from '../episode-setup.js';
import { level1Probe, simulatorProbe, type Level1Reference } from '../model-checks/level-probes.js';
import { LevelProbeState, runProbes, type LevelRanking, type ProbeOptions } from '../model-checks/ranking.js';
import { tapPlans, tapRollouts } from '../model-checks/taps.js';
import { resolvePlanner } from '../planner-source.js';
import { builtinLevels, builtinPlanners, scenarioNamed } from '../registries.js';
import { resolveRobotAsync } from '../robot-source.js';

export interface EvalModelArgs {
  /** A trained world-model directory (level 0), or a level-1 model: its file or the directory holding level1.json. */
  model: string;
  /** Held-out dataset for level 0's k-step error. */
  data?: string;
  backend: BackendRequest;
  /** Where the JSON goes (default: beside the model, eval.json). */
  out?: string;
  /** Default: the world model's scenario, else commute. */
  sim?: string;
  /** Default: the scenario's planner (as for `run`); a multi-level one has each learned level probed. */
  planner?: string;
  opt: string[];
  simOpt: string[];
  probe: Omit<ProbeOptions, 'progress' | 'maxSteps'> & { maxSteps?: number };
  level1Reference: Level1Reference;
  progress?: (line: string) => void;
}

export interface LevelReport extends LevelRanking {
  /** Where the k-step error comes from; level 0's is in `evaluation` (held-out data). */
  kStepSource: string;
}

export interface EvalModelReport extends Partial<ModelEvaluation> {
  scenario: string;
  planner: string;
  levels: LevelReport[];
}

/** The level-1 model file `path` names, if it names one (a .json file, or a directory holding level1.json). */
function level1FileOf(path: string): string | undefined {
  if (existsSync(path) && statSync(path).isFile()) return path;
  const inside = join(path, 'level1.json');
  return existsSync(inside) ? inside : undefined;
}

function worldModelScenario(dir: string): string | undefined {
  const file = join(dir, 'model.json');
  if (!existsSync(file)) throw new ItineraError(`${dir}: neither a trained world model (model.json) nor a level-1 model (level1.json) here`);
  return (JSON.parse(readFileSync(file, 'utf8')) as { spec?: { scenario?: string } }).spec?.scenario;
}

export async function evalModelCommand(args: EvalModelArgs): Promise<EvalModelReport> {
  const level1File = level1FileOf(args.model);
  const evaluation = !level1File && args.data ? evaluateModel(args.model, args.data, (await initBackend(args.backend)).description) : undefined;
  const scenario = scenarioNamed(args.sim ?? (level1File ? 'commute' : (worldModelScenario(args.model) ?? 'commute')));
  const plannerName = args.planner ?? scenario.defaultPlanner;
  if (!plannerName) throw new ItineraError(`sim '${scenario.name}' names no default planner: pass --planner`);
  const options = parseOverrides(args.opt, '--opt');
  if (level1File && !hasCapability(resolvePlanner(plannerName, {}, '--opt').definition, 'multi-level')) throw new ItineraError(`--planner ${plannerName} has no level above control to plan on the level-1 model ${level1File}: use a multi-level preset (e.g. rover-hierarchical)`);
  const choice = resolvePlanner(plannerName, { options: level1File ? { ...options, level1Model: level1File } : options }, '--opt');
  const world = { scenario, robot: await resolveRobotAsync(scenario.defaultRobot), scenarioOptions: resolveOptions(scenario, parseOverrides(args.simOpt, '--sim-opt'), `--sim-opt (${scenario.name})`) };
  const probeOptions: ProbeOptions = { ...args.probe, maxSteps: args.probe.maxSteps ?? Infinity, progress: args.progress };

  const levels: LevelProbeState[] = [];
  let tapped: ReturnType<typeof tapPlans> | undefined;
  const watch = (probe: LevelProbeState) => (levels.push(probe), probe);
  const pending: Promise<void>[] = [];
  const wrapLevelModel = (definition: LevelModelDefinition<any>): LevelModelDefinition<any> =>
    definition.standIn === undefined
      ? definition
      : {
          ...definition,
          create(levelOptions: LevelModelOptions<any>, channels: Channels) {
            const model = definition.create(levelOptions, channels);
            const standInDefinition = builtinLevels().levelModels.find((m) => m.name === definition.standIn);
            const standIn = standInDefinition?.create({ config: levelOptions.config }, channels);
            if (args.level1Reference === 'stand-in' && !standIn) throw new ItineraError(`--level1-reference stand-in: level model '${definition.name}' declares no stand-in`);
            const config = choice.config as HierarchicalConfig;
            const low = builtinPlanners().get(config.low.planner);
            const tracker = { low: { definition: low, config: resolveOptions(low, config.low.options, 'low level') }, physics: choice.modelPhysics, replanEvery: choice.replanEvery, reachedRadius: config.reachedRadius, seed: args.probe.seed };
            const probe = level1Probe({ model, definition, standIn, reference: args.level1Reference, world, tracker, bodies: builtinLevels().bodies, channels, options: levelOptions });
            return tapRollouts(model, watch(new LevelProbeState(probe, () => tapped, probeOptions)).seen);
          },
        };
  const definition = hasCapability(choice.definition, 'multi-level') ? builtinPlanners(wrapLevelModel).get(choice.definition.name) : choice.definition;
  const episodeChoice: EpisodeChoice = {
    ...world,
    planner: definition,
    plannerConfig: choice.config,
    seed: args.probe.seed,
    modelPhysics: choice.modelPhysics,
    replanEvery: choice.replanEvery,
    model: level1File ? undefined : args.model,
    backend: args.backend,
    // The level-0 probe needs the simulator, made asynchronously: the tap waits for it.
    wrapModel: (model) => {
      if (model.kind !== 'learned') return model;
      const state = simulatorProbe(world, args.model).then((probe) => watch(new LevelProbeState(probe, () => tapped, probeOptions)));
      pending.push(state.then(() => {}));
      return tapRollouts(model, async (call) => (await state).seen(call));
    },
  };
  let setup: EpisodeSetup | undefined;
  try {
    setup = await setUpEpisode(episodeChoice);
    await Promise.all(pending);
    tapped = tapPlans(setup.planner);
    if (levels.length === 0) throw new ItineraError(`${args.model}: planner ${choice.label} on ${scenario.name} plans on no learned model to probe`);
    await runProbes(setup, tapped, levels, probeOptions);
  } finally {
    await tapped?.settled();
    for (const level of levels) level.probe.free();
    setup?.free();
  }
  const report: EvalModelReport = {
    ...evaluation,
    scenario: scenario.name,
    planner: choice.label,
    levels: levels
      .map((l) => ({ ...l.result(), kStepSource: l.probe.level === 0 ? (evaluation ? `held-out dataset ${args.data}` : 'none (pass --data DIR)') : args.level1Reference === 'simulator' ? 'simulator outcomes of the probed candidates (held out: never trained on)' : 'none (needs --level1-reference simulator)' }))
      .sort((a, b) => a.level - b.level),
  };
  // A world-model directory keeps its evaluation beside it; a level-1 model (often a shipped one) only when asked.
  const out = args.out ?? (level1File ? undefined : join(args.model, 'eval.json'));
  if (out) writeFileSync(out, JSON.stringify(report, null, 1) + '\n');
  return report;
}

export function formatEvalModel(report: EvalModelReport): string {
  const lines = report.kStep ? [formatEvaluation(report as ModelEvaluation)] : [];
  lines.push(`ranking at states ${report.planner} visits on ${report.scenario}:`);
  for (const l of report.levels) {
    const s = l.spearman;
    const n = l.states.length;
    lines.push(`level ${l.level} · ${l.model}`);
    if (l.kStep) lines.push(`  k-step error (${l.kStepSource}, in the model's representation): ${Object.entries(l.kStep).map(([k, v]) => `k=${k} ${v.model.toFixed(3)}${v.baseline !== undefined ? ` (stand-in ${v.baseline.toFixed(3)})` : ''}`).join(' · ')}`);
    else lines.push(`  k-step error: ${l.level === 0 && report.kStep ? 'above' : l.kStepSource}`);
    lines.push(`  vs ${l.reference}`);
    lines.push(`  Spearman mean ${fmt(s.mean)} · p10 ${fmt(s.p10)} · median ${fmt(s.median)} · p90 ${fmt(s.p90)} over ${n} state${n === 1 ? '' : 's'} (${l.states.map((x) => x.candidates).join('/')} candidates); top-1 agreement ${fmt(l.top1)}, top-${l.topK.k} overlap ${fmt(l.topK.mean)}`);
    const b = l.baseline;
    if (b) lines.push(`  ${b.model}, same candidates and reference: Spearman mean ${fmt(b.spearman.mean)} · p10 ${fmt(b.spearman.p10)} · median ${fmt(b.spearman.median)} · p90 ${fmt(b.spearman.p90)}; top-1 ${fmt(b.top1)}, top-${b.topK.k} ${fmt(b.topK.mean)}`);
  }
  return lines.join('\n');
}

const fmt = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : 'n/a');
