// Per scenario × robot × planner: success rate with its 95% Wilson interval, steps, planning time, throughput.
import type { BenchRecord } from './bench-episode.js';
import type { ClaimResult } from './claims.js';
import { canonicalJson, type EpisodeSpec } from './matrix.js';
import { meanOrNull, percentiles, wilsonInterval95 } from './stats.js';

type Options = Record<string, unknown>;

export interface GroupSummary {
  scenario: string;
  robot: string;
  planner: string;
  /** Names as tables show them: with the options that tell apart suite entries sharing a name. */
  label: { scenario: string; planner: string };
  scenarioOptions: Options;
  plannerConfig: Options;
  episodes: number;
  successes: number;
  successRate: number;
  successRateCi95: [number, number];
  /** Mean control steps of the successful episodes; null when none succeeded. */
  stepsToSuccess: number | null;
  /** Over every plan of every episode; null when nothing planned. */
  planMs: { p50: number; p95: number } | null;
  /** Present only for planners that report a rollout budget. */
  budget?: number;
  rolloutStepsPerSecond?: number;
  /** Present only when the results count guardrail events. */
  guardrailHitsPerEpisode?: number;
}

export interface BenchSummary {
  suite: string;
  /** Episodes the suite asks for, and those with results. */
  expectedEpisodes: number;
  episodes: number;
  groups: GroupSummary[];
  /** The suite's claims judged on these results (absent when it makes none). */
  claims?: ClaimResult[];
}

/** Summarises the records of the suite's episodes, grouped in suite order; records of other suites are left out. */
export function summariseBench(suite: string, specs: EpisodeSpec[], records: BenchRecord[]): BenchSummary {
  const byKey = new Map(records.map((r) => [r.key, r]));
  const groups = new Map<string, { spec: EpisodeSpec; records: BenchRecord[] }>();
  for (const spec of specs) {
    const id = spec.key.slice(0, spec.key.lastIndexOf('/seed-'));
    const group = groups.get(id) ?? { spec, records: [] };
    const record = byKey.get(spec.key);
    if (record) group.records.push(record);
    groups.set(id, group);
  }
  const scenarioLabels = labelsFor(specs.map((s) => [s.scenario, s.scenarioOptions]));
  // An adapting cell, or one rolling out on onnxruntime, is told apart from the same planner without.
  const plannerOptions = (s: EpisodeSpec) => ({ ...s.plannerConfig, ...(s.plannerRun?.adapt !== undefined && { adapt: s.plannerRun.adapt }), ...(s.plannerRun?.rollouts !== undefined && { rollouts: s.plannerRun.rollouts }) });
  const plannerLabels = labelsFor(specs.map((s) => [s.planner, plannerOptions(s)]));
  const summaries = [...groups.values()].map(({ spec, records: rs }) =>
    summariseGroup(spec, rs, {
      scenario: scenarioLabels.get(canonicalJson([spec.scenario, spec.scenarioOptions]))!,
      planner: plannerLabels.get(canonicalJson([spec.planner, plannerOptions(spec)]))!,
    }),
  );
  return { suite, expectedEpisodes: specs.length, episodes: summaries.reduce((n, g) => n + g.episodes, 0), groups: summaries };
}

function summariseGroup(spec: EpisodeSpec, records: BenchRecord[], label: GroupSummary['label']): GroupSummary {
  const successes = records.filter((r) => r.success);
  const planned = records.filter((r) => r.rolloutSteps !== undefined);
  const planSeconds = planned.reduce((s, r) => s + r.planTimesMs.reduce((a, b) => a + b, 0), 0) / 1000;
  const counted = records.filter((r) => typeof r.guardrailHits === 'number');
  return {
    scenario: spec.scenario,
    robot: spec.robot,
    planner: spec.planner,
    label,
    scenarioOptions: spec.scenarioOptions,
    plannerConfig: spec.plannerConfig,
    episodes: records.length,
    successes: successes.length,
    successRate: records.length > 0 ? successes.length / records.length : 0,
    successRateCi95: wilsonInterval95(successes.length, records.length),
    stepsToSuccess: meanOrNull(successes.map((r) => r.steps)),
    planMs: percentiles(records.flatMap((r) => r.planTimesMs ?? [])),
    ...(planned.length > 0 && { budget: planned[0].budget }),
    ...(planned.length > 0 && planSeconds > 0 && { rolloutStepsPerSecond: planned.reduce((s, r) => s + r.rolloutSteps!, 0) / planSeconds }),
    ...(counted.length > 0 && { guardrailHitsPerEpisode: meanOrNull(counted.map((r) => r.guardrailHits))! }),
  };
}

/** Name alone when one config uses it; otherwise name plus the options whose values differ and it sets, `mppi (budget=800)`. */
function labelsFor(entries: Array<[string, Options]>): Map<string, string> {
  const configsByName = new Map<string, Map<string, Options>>();
  for (const [name, options] of entries) {
    const configs = configsByName.get(name) ?? new Map<string, Options>();
    configs.set(canonicalJson(options), options);
    configsByName.set(name, configs);
  }
  const labels = new Map<string, string>();
  for (const [name, configs] of configsByName) {
    const all = [...configs.values()];
    const keys = [...new Set(all.flatMap((o) => Object.keys(o)))].filter((k) => new Set(all.map((o) => canonicalJson(o[k]))).size > 1);
    for (const options of all) {
      // An option only some configs set is named where set: `reach-mppi-jepa` beside `reach-mppi-jepa (adapt={…})`.
      const detail = keys.filter((k) => options[k] !== undefined).map((k) => `${k}=${JSON.stringify(options[k])}`).join(', ');
      labels.set(canonicalJson([name, options]), detail ? `${name} (${detail})` : name);
    }
  }
  return labels;
}
