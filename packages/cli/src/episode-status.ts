// Where an episode stands, from its events: the one-line status that progress shows for every planner.
import type { EpisodeEvent } from '@itinera/core';

export class EpisodeStatus {
  seed = 0;
  step = 0;
  t = 0;
  /** The subgoal started last and not yet finished (hierarchical planners only). */
  subgoal: string | undefined;
  cost: number | undefined;
  /** Replans per level; the start plan is not one, as in the run summary. */
  private readonly replans = new Map<number, number>();

  event(e: EpisodeEvent): void {
    if (e.type === 'reset') {
      Object.assign(this, { seed: e.seed, step: 0, t: 0, subgoal: undefined, cost: undefined });
      this.replans.clear();
      return;
    }
    this.step = Math.max(this.step, e.step);
    this.t = Math.max(this.t, e.t);
    if (e.type === 'tick') this.cost = e.cost;
    else if (e.type === 'replan' && e.reason !== 'start') this.replans.set(e.level, (this.replans.get(e.level) ?? 0) + 1);
    else if (e.type === 'subgoal-start') this.subgoal = e.name;
    else if ((e.type === 'subgoal-done' || e.type === 'subgoal-failed') && e.name === this.subgoal) this.subgoal = undefined;
  }

  /** `step 412 · t 8.24 s · subgoal pass-1-left · replans L0 205 L2 3 · cost 0.532` */
  line(withSubgoal = true): string {
    const levels = [...this.replans].sort(([a], [b]) => a - b).map(([level, n]) => `L${level} ${n}`);
    return [
      `step ${this.step}`,
      `t ${this.t.toFixed(2)} s`,
      withSubgoal && this.subgoal ? `subgoal ${this.subgoal}` : undefined,
      `replans ${levels.join(' ') || '0'}`,
      this.cost !== undefined ? `cost ${this.cost.toPrecision(3)}` : undefined,
    ].filter(Boolean).join(' · ');
  }
}
