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
