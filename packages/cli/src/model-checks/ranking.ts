// The ranking check: run the real planner on the simulator, and at states it visits take its own candidate plans
// (the first batch a plan rolls out on each learned level's model), cost them on a reference from the same state
// and compare the two orderings. The live world is never stepped by a probe: references restore copies.
import { lastValueFrom, takeWhile } from 'rxjs';
import { ItineraError, Rng, type PlanRequest } from '@itinera/core';
import { episode$, levelTriggers, plannerEvents, withSideEvents } from '@itinera/runtime';
import type { EpisodeSetup } from '../episode-setup.js';
import { rankAgreement, spreadOf, type RankAgreement, type Spread } from './rank-agreement.js';
import type { RolloutCall, TappedPlanner } from './taps.js';

/** A reference outcome of the probed candidates: totals, and per candidate and k the gaps of the k-step check. */
export interface ReferenceCosts {
  totals: number[];
  /** [candidate][k - 1]: model and baseline prediction errors after k steps, when the reference yields outcomes. */
  gaps?: Array<Array<{ model: number; baseline?: number }>>;
  /** The same candidates' totals on the level's baseline model (its stand-in), ranked against the reference too. */
  baselineTotals?: number[];
}

/** One level a run plans on with a learned model, and what its candidates are compared with. */
export interface LevelProbe {
  readonly level: number;
  readonly model: string;
  readonly reference: string;
  /** The model whose ranking is reported beside it (e.g. a learned level's stand-in). */
  readonly baseline?: string;
  /** Costs candidates `picked` of `call` (made at `request`) on the reference. */
  costOnReference(call: RolloutCall, request: PlanRequest, picked: number[]): Promise<ReferenceCosts>;
  free(): void;
}

export interface ProbeOptions {
  /** States to probe per level. */
  states: number;
  /** Candidates costed per state (a seeded subset when the planner samples more; its nominal, candidate 0, always). */
  candidates: number;
  /** Control steps at least between two probes of one level. */
  spacing: number;
  /** k of the top-k agreement. */
  topK: number;
  episodes: number;
  /** Control steps per episode at most. */
  maxSteps: number;
  seed: number;
  progress?: (line: string) => void;
}

export interface ProbedState {
  episode: number;
  step: number;
  candidates: number;
  agreement: RankAgreement;
  /** The baseline model's agreement with the same reference. */
  baseline?: RankAgreement;
}

export interface RankingSummary {
  spearman: Spread;
  /** Share of states where both orderings pick the same best candidate. */
  top1: number;
  topK: { k: number; mean: number };
}

export interface LevelRanking {
  level: number;
  model: string;
  reference: string;
  states: ProbedState[];
  spearman: Spread;
  top1: number;
  topK: { k: number; mean: number };
  /** The baseline model's ranking of the same candidates against the same reference. */
  baseline?: RankingSummary & { model: string };
  /** Mean k-step prediction error on the reference's outcomes of the probed candidates, per k. */
  kStep?: Record<string, { model: number; baseline?: number }>;
}

/** A level under probe: its tap calls `seen`, which decides whether this rollout is a state to probe. */
export class LevelProbeState {
  readonly states: ProbedState[] = [];
  private lastPlan = -1;
  private lastStep = -Infinity;
  private readonly gaps: Array<Array<{ model: number; baseline?: number }>> = [];
  private episode = 0;

  constructor(
    readonly probe: LevelProbe,
    private readonly planner: () => TappedPlanner | undefined,
    private readonly options: ProbeOptions,
  ) {}

  startEpisode(episode: number): void {
    this.episode = episode;
    this.lastStep = -Infinity;
  }

  get done(): boolean {
    return this.states.length >= this.options.states;
  }

  readonly seen = async (call: RolloutCall): Promise<void> => {
    const planner = this.planner();
    const request = planner?.current;
    if (!planner || !request || this.done || planner.plans === this.lastPlan) return;
    this.lastPlan = planner.plans;
    if (request.step - this.lastStep < this.options.spacing || call.batch < 2) return;
    this.lastStep = request.step;
    const started = performance.now();
    const picked = pick(call.batch, this.options.candidates, new Rng(this.options.seed).fork(`probe-${this.probe.level}-${this.states.length}`));
    const reference = await this.probe.costOnReference(call, request, picked);
    const model = picked.map((b) => call.costs.subarray(b * call.horizon, (b + 1) * call.horizon).reduce((s, c) => s + c, 0));
    const agreement = rankAgreement(model, reference.totals, this.options.topK);
    const baseline = reference.baselineTotals && rankAgreement(reference.baselineTotals, reference.totals, this.options.topK);
    this.states.push({ episode: this.episode, step: request.step, candidates: picked.length, agreement, ...(baseline && { baseline }) });
    if (reference.gaps) this.gaps.push(...reference.gaps);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    this.options.progress?.(`level ${this.probe.level} · state ${this.states.length}/${this.options.states} at step ${request.step}: Spearman ${agreement.spearman.toFixed(3)} over ${picked.length} candidates (${seconds} s)`);
  };

  result(): LevelRanking {
    const baselines = this.states.flatMap((s) => (s.baseline ? [s.baseline] : []));
    const { baseline } = this.probe;
    return {
      level: this.probe.level,
      model: this.probe.model,
      reference: this.probe.reference,
      states: this.states,
      ...this.summary(this.states.map((s) => s.agreement)),
      ...(baseline && baselines.length === this.states.length && baselines.length > 0 && { baseline: { model: baseline, ...this.summary(baselines) } }),
      ...(this.gaps.length > 0 && { kStep: kStepOf(this.gaps) }),
    };
  }

  private summary(agreements: RankAgreement[]): RankingSummary {
    const mean = (v: number[]) => (v.length ? v.reduce((s, x) => s + x, 0) / v.length : NaN);
    return {
      spearman: spreadOf(agreements.map((a) => a.spearman)),
      top1: mean(agreements.map((a) => a.top1)),
      topK: { k: this.options.topK, mean: mean(agreements.map((a) => a.topK)) },
    };
  }
}

/** Runs up to `episodes` episodes (seeds seed, seed + 1, …) until every level has its states; the probes watch. */
export async function runProbes(setup: EpisodeSetup, planner: TappedPlanner, levels: LevelProbeState[], options: ProbeOptions): Promise<void> {
  const { env } = setup;
  for (let e = 0; e < options.episodes && !levels.every((l) => l.done); e++) {
    levels.forEach((l) => l.startEpisode(e));
    const { levels: above } = planner;
    const events = episode$(env, planner, { seed: options.seed + e, replanEvery: setup.replanEvery, triggers: above ? levelTriggers(above) : [] });
    const stream = above ? events.pipe(withSideEvents(plannerEvents(above))) : events;
    const last = await lastValueFrom(stream.pipe(takeWhile((event) => event.type !== 'done' && event.step < options.maxSteps && !levels.every((l) => l.done), true)), { defaultValue: undefined });
    // A plan cut off by the end of the stream still runs: let it finish before the next episode resets the world.
    await planner.settled();
    // A probe that failed inside a plan ends the episode as a planner error: say so rather than report fewer states.
    if (last?.type === 'done' && last.failure === 'planner-error') throw new ItineraError(`eval-model: planning failed at step ${last.step}: ${last.detail ?? 'no detail'}`);
  }
}

/** `n` of `batch` candidate indices: all when they fit, else candidate 0 (the nominal) and a seeded sample. */
export function pick(batch: number, n: number, rng: Rng): number[] {
  if (batch <= n) return Array.from({ length: batch }, (_, i) => i);
  const rest = Array.from({ length: batch - 1 }, (_, i) => i + 1);
  for (let i = rest.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [rest[i], rest[j]] = [rest[j], rest[i]];
  }
  return [0, ...rest.slice(0, n - 1).sort((a, b) => a - b)];
}

function kStepOf(gaps: Array<Array<{ model: number; baseline?: number }>>): Record<string, { model: number; baseline?: number }> {
  const out: Record<string, { model: number; baseline?: number }> = {};
  const kMax = Math.max(...gaps.map((g) => g.length));
  for (let k = 1; k <= kMax; k++) {
    const at = gaps.map((g) => g[k - 1]).filter((g) => g !== undefined);
    const baselines = at.map((g) => g.baseline).filter((b): b is number => b !== undefined);
    out[String(k)] = {
      model: at.reduce((s, g) => s + g.model, 0) / at.length,
      ...(baselines.length === at.length && { baseline: baselines.reduce((s, b) => s + b, 0) / baselines.length }),
    };
  }
  return out;
}
