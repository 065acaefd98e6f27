import { defer, map, reduce, type OperatorFunction } from 'rxjs';
import type { EpisodeEvent, EpisodeSummary, SubgoalResult } from '@itinera/core';

interface Tally {
  seed: number;
  steps: number;
  simTime: number;
  planMs: number[];
  replanEvents: number;
  /** Subgoals in the order they first started, with the step each is active since. */
  subgoals: Map<string, SubgoalResult & { since?: number }>;
  done?: Extract<EpisodeEvent, { type: 'done' }>;
}

/** Reduces an episode's events to its summary; wall time runs from subscription to the last event. */
export function summariseEpisode(clock: () => number = () => performance.now()): OperatorFunction<EpisodeEvent, EpisodeSummary> {
  return (event$) =>
    defer(() => {
      const started = clock();
      return event$.pipe(
        reduce(tally, { seed: 0, steps: 0, simTime: 0, planMs: [], replanEvents: 0, subgoals: new Map() } as Tally),
        map((t): EpisodeSummary => ({
          seed: t.seed,
          success: t.done?.success ?? false,
          steps: t.steps,
          simTime: t.simTime,
          wallMs: clock() - started,
          planMs: meanAndP95(t.planMs),
          // The start plan is not a replan.
          replans: Math.max(0, t.replanEvents - 1),
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
  if (event.type === 'replan') t.replanEvents++;
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

export function meanAndP95(values: number[]): { mean: number; p95: number } {
  if (values.length === 0) return { mean: 0, p95: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return { mean, p95: sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)] };
}
