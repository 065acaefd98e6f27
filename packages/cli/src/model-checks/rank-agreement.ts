// How well one cost ordering of a planner's candidates agrees with a reference ordering: Spearman's rank
// correlation (simple-statistics, midranks for ties), whether both pick the same best candidate, and how many of
// the reference's k best the model also puts in its k best.
import { mean, quantile, sampleRankCorrelation } from 'simple-statistics';

export interface RankAgreement {
  spearman: number;
  /** 1 when the model's cheapest candidate is the reference's cheapest. */
  top1: number;
  /** Share of the reference's k cheapest candidates among the model's k cheapest. */
  topK: number;
}

export interface Spread {
  mean: number;
  p10: number;
  median: number;
  p90: number;
}

export function rankAgreement(model: ArrayLike<number>, reference: ArrayLike<number>, k: number): RankAgreement {
  const m = Array.from(model);
  const r = Array.from(reference);
  const cheapest = (costs: number[]) => costs.map((_, i) => i).sort((a, b) => costs[a] - costs[b] || a - b);
  const [mo, ro] = [cheapest(m), cheapest(r)];
  const kk = Math.min(k, m.length);
  const modelTop = new Set(mo.slice(0, kk));
  return {
    spearman: sampleRankCorrelation(m, r),
    top1: mo[0] === ro[0] ? 1 : 0,
    topK: ro.slice(0, kk).filter((i) => modelTop.has(i)).length / kk,
  };
}

/** Mean and p10/median/p90 of the finite values (NaN when there are none). */
export function spreadOf(values: readonly number[]): Spread {
  const v = values.filter(Number.isFinite);
  if (v.length === 0) return { mean: NaN, p10: NaN, median: NaN, p90: NaN };
  const [p10, median, p90] = quantile(v, [0.1, 0.5, 0.9]);
  return { mean: mean(v), p10, median, p90 };
}
