// One benchmark episode: fresh env and planner for its seed, so no result depends on what ran before it.
import type { DynamicsModel, Env, EpisodeEvent, EpisodeSummary, LevelSummary, Planner } from '@itinera/core';
import { runEpisode, type Tick } from '@itinera/runtime';
import type { EpisodeSpec } from './matrix.js';

/** A line of results.jsonl: what was run, and how it went. */
export interface BenchRecord extends EpisodeSummary {
  key: string;
  scenario: string;
  scenarioOptions: Record<string, unknown>;
  robot: string;
  planner: string;
  plannerConfig: Record<string, unknown>;
  /** Rollout steps one plan costs (sampling planners only). */
  budget?: number;
  /** Rollout steps all plans of the episode cost (sampling planners only). */
  rolloutSteps?: number;
  /** Wall-clock milliseconds of every plan, for percentiles across episodes. */
  planTimesMs: number[];
  /** Guardrail events the episode raised. */
  guardrailHits: number;
  /** What went wrong, where the episode's end says (a planner's error message, say). */
  failureDetail?: string;
  /** Per level, top first: what it planned on. */
  levels?: LevelSummary[];
}

/** What the caller builds for one episode; `free` releases its wasm memory. */
export interface EpisodeRig {
  env: Env;
  planner: Planner & { readonly budget?: number };
  replanEvery: number;
  /** The model level 0 plans on (a learned one may replan on its surprise). */
  model?: DynamicsModel;
  levels?: LevelSummary[];
  /** Corrects the learned model from each step, across the episodes that share this rig (an `adapt` cell). */
  adaptation?: {
    startEpisode(): void;
    transition(previous: ArrayLike<number>, action: ArrayLike<number>, observed: ArrayLike<number>): { surprise: number; gradientSteps: number };
    endEpisode(): NonNullable<EpisodeSummary['adaptation']>;
    /** The planner's exploration factor for the next plan. */
    exploration(): number;
  };
  free(): void;
}

/** Fields that measure the wall clock: they differ between identical runs. */
export const WALL_CLOCK_FIELDS = ['wallMs', 'planMs', 'planTimesMs'] as const;

export async function runBenchEpisode(spec: EpisodeSpec, setUp: (spec: EpisodeSpec) => Promise<EpisodeRig>): Promise<BenchRecord> {
  const rig = await setUp(spec);
  try {
    return await episodeOnRig(spec, rig);
  } finally {
    rig.free();
  }
}

/**
 * The episodes of one `adapt` cell in seed order on one rig, so its model learns across them; `finished` gets each
 * record `wanted` accepts (a resumed cell runs again from its first seed and keeps only the missing ones).
 */
export async function runBenchSequence(specs: EpisodeSpec[], setUp: (spec: EpisodeSpec) => Promise<EpisodeRig>, wanted: (spec: EpisodeSpec) => boolean, finished: (record: BenchRecord) => void): Promise<void> {
  const ordered = [...specs].sort((a, b) => a.seed - b.seed);
  const rig = await setUp(ordered[0]);
  try {
    for (const spec of ordered) {
      const record = await episodeOnRig(spec, rig);
      if (wanted(spec)) finished(record);
    }
  } finally {
    rig.free();
  }
}

async function episodeOnRig(spec: EpisodeSpec, rig: EpisodeRig): Promise<BenchRecord> {
  const planTimesMs: number[] = [];
  let guardrailHits = 0;
  let failureDetail: string | undefined;
  const onEvent = (event: EpisodeEvent) => {
    // Microseconds are plenty and keep the lines short.
    if (event.type === 'plan') planTimesMs.push(Math.round(event.ms * 1000) / 1000);
    if (event.type === 'guardrail') guardrailHits++;
    if (event.type === 'done' && !event.success && event.detail) failureDetail = event.detail;
  };
  const { adaptation } = rig;
  adaptation?.startEpisode();
  const onTransition = adaptation && ((previous: Tick, tick: Tick) => void adaptation.transition(previous.observation, tick.action!, tick.observation));
  const exploration = adaptation && (() => adaptation.exploration());
  const summary = await runEpisode(rig.env, rig.planner, { seed: spec.seed, onEvent, replanEvery: rig.replanEvery, model: rig.model, onTransition, exploration });
  if (adaptation) summary.adaptation = adaptation.endEpisode();
  const { budget } = rig.planner;
  const { scenarioIndex, plannerIndex, ...what } = spec;
  return {
    ...what,
    ...(budget !== undefined && { budget, rolloutSteps: budget * planTimesMs.length }),
    ...summary,
    planTimesMs,
    guardrailHits,
    ...(failureDetail !== undefined && { failureDetail }),
    ...(rig.levels && { levels: rig.levels }),
  };
}
