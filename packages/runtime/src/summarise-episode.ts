import { defer, map, reduce, type OperatorFunction } from 'rxjs';
import type { EpisodeEvent, EpisodeSummary, SubgoalResult } from '@itinera/core';

interface Tally {
  seed: number;
  steps: number;
  simTime: number;
  planMs: number[];
  /** Replan requests per level, the start plan included. */
  replanEvents: Map<number, number>;
  /** The level of the first request: the start plan, which is not a replan. */
  startLevel?: number;
  /** Subgoals in the order they first started, with the step each is active since. */
  subgoals: Map<string, SubgoalResult & { since?: number }>;
  done?: Extract<EpisodeEvent, { type: 'done' }>;
}

/**
 * Reduces an episode's events to its summary; wall time runs from subscription to the last event. With the env's
 * `controlDt`, simTime is rounded to the control step (physics time accumulates float noise: 4.000000000000003).
 */
export function summariseEpisode(clock: () => number = () => performance.now(), controlDt?: number): OperatorFunction<EpisodeEvent, EpisodeSummary> {
  return (event$) =>
    defer(() => {
      const started = clock();
      return event$.pipe(
        reduce(tally, { seed: 0, steps: 0, simTime: 0, planMs: [], replanEvents: new Map(), subgoals: new Map() } as Tally),
        map((t): EpisodeSummary => ({
          seed: t.seed,
          success: t.done?.success ?? false,
          steps: t.steps,
          simTime: controlDt ? roundToStep(t.simTime, controlDt) : t.simTime,
          wallMs: clock() - started,
          planMs: timeStats(t.planMs),
          ...replanCounts(t),
          failure: t.done === undefined ? 'incomplete' : t.done.success ? null : (t.done.failure ?? 'failed'),
          // The episode's success completes the subgoals still under way (the env ends before the tree sees it).
          subgoals: [...t.subgoals.values()].map(({ name, status, steps, since }) => ({
            name,
            status: status === 'active' && t.done?.success ? 'done' : status,
            steps: steps + (since !== undefined ? t.steps - since : 0),
          })),
        })),
      );
    });
}

function tally(t: Tally, event: EpisodeEvent): Tally {
  if (event.type === 'reset') t.seed = event.seed;
  if (event.type === 'plan') t.planMs.push(event.ms);
  if (event.type === 'replan') {
    t.startLevel ??= event.level;
    t.replanEvents.set(event.level, (t.replanEvents.get(event.level) ?? 0) + 1);
  }
  if (event.type === 'done') t.done = event;
  if (event.type === 'subgoal-start' || event.type === 'subgoal-done' || event.type === 'subgoal-failed') tallySubgoal(t, event);
  t.steps = Math.max(t.steps, event.step);
  t.simTime = Math.max(t.simTime, event.t);
  return t;
}

/** A subgoal that starts again (a retried method) adds its new steps to the old; its last outcome is its status. */
function tallySubgoal(t: Tally, event: Extract<EpisodeEvent, { type: 'subgoal-start' | 'subgoal-done' | 'subgoal-failed' }>): void {
  const entry = t.subgoals.get(event.name) ?? { name: event.name, status: 'active', steps: 0 };
  if (event.type === 'subgoal-start') {
    entry.status = 'active';
    entry.since = event.step;
  } else {
    entry.status = event.type === 'subgoal-done' ? 'done' : 'failed';
    entry.steps += event.step - (entry.since ?? event.step);
    entry.since = undefined;
  }
  t.subgoals.set(event.name, entry);
}

/** Replans after the start plan, in all and by level (levels with none left out). */
function replanCounts(t: Tally): Pick<EpisodeSummary, 'replans' | 'replansByLevel'> {
  const byLevel: Record<string, number> = {};
  for (const [level, count] of [...t.replanEvents].sort(([a], [b]) => a - b)) {
    const replans = count - (level === t.startLevel ? 1 : 0);
    if (replans > 0) byLevel[level] = replans;
  }
  return { replans: Object.values(byLevel).reduce((s, n) => s + n, 0), replansByLevel: byLevel };
}

/** Mean, median and 95th percentile (nearest rank). */
export function timeStats(values: number[]): { mean: number; p50: number; p95: number } {
  if (values.length === 0) return { mean: 0, p50: 0, p95: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return { mean, p50: rank(0.5), p95: rank(0.95) };
}

/** A whole number of control steps, printed without float noise. */
function roundToStep(time: number, controlDt: number): number {
  return Number((Math.round(time / controlDt) * controlDt).toPrecision(12));
}
