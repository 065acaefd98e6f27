import { mean, quantile } from 'simple-statistics';

/** Two-sided 95% normal quantile, exact: simple-statistics' probit approximates it as 1.9572. */
const Z95 = 1.959963984540054;

/**
 * 95% Wilson score interval for a success rate: unlike the normal approximation it stays inside [0, 1] and
 * is honest at 0/n and n/n, which small benchmarks hit often.
 */
export function wilsonInterval95(successes: number, trials: number): [number, number] {
  if (trials === 0) return [0, 1];
  const z = Z95;
  const p = successes / trials;
  const z2n = (z * z) / trials;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / trials + z2n / (4 * trials));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

export function meanOrNull(values: number[]): number | null {
  return values.length > 0 ? mean(values) : null;
}

export function percentiles(values: number[]): { p50: number; p95: number } | null {
  return values.length > 0 ? { p50: quantile(values, 0.5), p95: quantile(values, 0.95) } : null;
}

/**
 * 95% interval for the difference of two independent success rates p1 − p2 by Newcombe's hybrid score method
 * (method 10 of Newcombe 1998, Statistics in Medicine 17:873): it combines the two Wilson intervals, so it stays
 * inside [−1, 1] and behaves at 0/n and n/n where the Wald interval collapses.
 */
export function newcombeInterval95(successes1: number, trials1: number, successes2: number, trials2: number): { difference: number; ci95: [number, number] } {
  const p1 = trials1 > 0 ? successes1 / trials1 : 0;
  const p2 = trials2 > 0 ? successes2 / trials2 : 0;
  const [l1, u1] = wilsonInterval95(successes1, trials1);
  const [l2, u2] = wilsonInterval95(successes2, trials2);
  const difference = p1 - p2;
  const below = Math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2);
  const above = Math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2);
  return { difference, ci95: [Math.max(-1, difference - below), Math.min(1, difference + above)] };
}
