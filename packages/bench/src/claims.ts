// Claims a suite makes ("A beats B", "A is within 10 points of B"), judged on the results: both success rates with
// Wilson intervals, their difference with Newcombe's interval, and a verdict the intervals decide.
import { ItineraError } from '@itinera/core';
import type { BenchRecord } from './bench-episode.js';
import type { EpisodeSpec } from './matrix.js';
import { newcombeInterval95, wilsonInterval95 } from './stats.js';
import { robotLabel, type Suite } from './suite.js';

type Expect = Suite['claims'][number]['expect'];

/** A claim with its arms resolved to suite cells (episode keys without the seed): what suite.json keeps, so merges judge it too. */
export interface ResolvedClaim {
  name: string;
  statement: string;
  expect: Expect;
  margin: number;
  a: ClaimCell;
  b: ClaimCell;
}

export interface ClaimCell {
  cell: string;
  label: string;
}

export interface ClaimArm extends ClaimCell {
  successes: number;
  episodes: number;
  successRate: number;
  successRateCi95: [number, number];
}

export type Verdict = 'holds' | 'does not hold' | 'undecided at this sample size' | 'no results yet';

export interface ClaimResult extends ResolvedClaim {
  a: ClaimArm;
  b: ClaimArm;
  /** a's success rate minus b's, with its 95% Newcombe (hybrid score) interval. */
  difference: number;
  differenceCi95: [number, number];
  verdict: Verdict;
}

const cellOf = (spec: EpisodeSpec) => spec.key.slice(0, spec.key.lastIndexOf('/seed-'));
const points = (margin: number) => `${+(margin * 100).toFixed(1)} points`;
const optionText = (options: Record<string, unknown>) =>
  Object.keys(options).length === 0 ? '' : ` (${Object.entries(options).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')})`;

/** Resolves every claim's arms against the suite's entries and episodes; every problem is one line naming the key. */
export function resolveClaims(suite: Suite, specs: EpisodeSpec[], file: string): ResolvedClaim[] {
  const problems: string[] = [];
  const claims = suite.claims.map((claim, i) => {
    const arm = (side: 'a' | 'b'): ClaimCell | undefined => {
      const where = `${file}: claims.${i}.${side}`;
      const ref = claim[side];
      // A scenario answers to its name as written, its versioned id and that id without the version (reach, reach-v1).
      const scenarioNames = suite.scenarios.map((s, k) => {
        const id = specs.find((x) => x.scenarioIndex === k)?.scenario ?? s.sim;
        return [s.sim, id, id.replace(/-v\d+$/, '')];
      });
      const scenario = pick(where + '.scenario', 'scenarios', ref.scenario, scenarioNames, problems);
      const planner = pick(where + '.planner', 'planners', ref.planner, suite.planners.map((p, k) => [p.name, specs.find((x) => x.plannerIndex === k)?.planner ?? p.name]), problems);
      const robots = [...new Set(specs.filter((s) => s.scenarioIndex === scenario).map((s) => s.robot))];
      const robot = ref.robot === undefined && suite.robots.length > 1
        ? (problems.push(`${where}: the suite has ${suite.robots.length} robots: name one (robot: NAME or its position)`), undefined)
        : pick(where + '.robot', 'robots', ref.robot ?? 0, suite.robots.map((r, k) => [robotLabel(r), robots[k] ?? robotLabel(r)]), problems);
      if (scenario === undefined || planner === undefined || robot === undefined) return undefined;
      const spec = specs.find((s) => s.scenarioIndex === scenario && s.plannerIndex === planner && s.robot === robots[robot])!;
      const entry = suite.scenarios[scenario];
      const plannerEntry = suite.planners[planner];
      const label = `${spec.scenario}${optionText(entry.options)}${suite.robots.length > 1 ? ` · ${spec.robot}` : ''} · ${plannerEntry.name}${optionText(plannerEntry.options)}`;
      return { cell: cellOf(spec), label };
    };
    const [a, b] = [arm('a'), arm('b')];
    if (a && b && a.cell === b.cell) problems.push(`${file}: claims.${i}: a and b are the same cell (${a.label})`);
    if (!a || !b) return undefined;
    const statement = claim.statement ?? defaultStatement(claim.expect, claim.margin, a.label, b.label);
    return { name: claim.name, statement, expect: claim.expect, margin: claim.margin, a, b };
  });
  if (problems.length > 0) throw new ItineraError(problems);
  return claims as ResolvedClaim[];
}

/** Index of the entry `ref` names: a position, or a name matching exactly one entry (as written or as resolved). */
function pick(where: string, axis: string, ref: string | number, names: string[][], problems: string[]): number | undefined {
  if (typeof ref === 'number') {
    if (ref < names.length) return ref;
    problems.push(`${where}: position ${ref}, but the suite has ${names.length} ${axis}`);
    return undefined;
  }
  const matches = names.flatMap((aliases, k) => (aliases.includes(ref) ? [k] : []));
  if (matches.length === 1) return matches[0];
  problems.push(
    matches.length === 0
      ? `${where}: no entry of ${axis} is '${ref}' (${axis}: ${names.map(([w]) => w).join(', ')})`
      : `${where}: '${ref}' is ${axis}.${matches.join(` and ${axis}.`)}: give its position (a number) instead`,
  );
  return undefined;
}

function defaultStatement(expect: Expect, margin: number, a: string, b: string): string {
  if (expect === 'beats') return `${a} succeeds more often than ${b}${margin > 0 ? ` by more than ${points(margin)}` : ''}`;
  return margin > 0 ? `${a} succeeds at most ${points(margin)} less often than ${b}` : `${a} succeeds at least as often as ${b}`;
}

/** Judges each claim on the records of the suite's episodes (`specs`: others are left out). */
export function evaluateClaims(claims: ResolvedClaim[], specs: EpisodeSpec[], records: BenchRecord[]): ClaimResult[] {
  const keys = new Set(specs.map((s) => s.key));
  const byCell = new Map<string, BenchRecord[]>();
  for (const record of records.filter((r) => keys.has(r.key))) {
    const cell = record.key.slice(0, record.key.lastIndexOf('/seed-'));
    byCell.set(cell, [...(byCell.get(cell) ?? []), record]);
  }
  const arm = (cell: ClaimCell): ClaimArm => {
    const rs = byCell.get(cell.cell) ?? [];
    const successes = rs.filter((r) => r.success).length;
    return { ...cell, successes, episodes: rs.length, successRate: rs.length > 0 ? successes / rs.length : 0, successRateCi95: wilsonInterval95(successes, rs.length) };
  };
  return claims.map((claim) => {
    const [a, b] = [arm(claim.a), arm(claim.b)];
    const { difference, ci95 } = newcombeInterval95(a.successes, a.episodes, b.successes, b.episodes);
    return { ...claim, a, b, difference, differenceCi95: ci95, verdict: verdict(claim, a, b, ci95) };
  });
}

/** The claim's threshold on a − b: beats needs more than +margin, not-worse more than −margin; the interval decides. */
function verdict(claim: ResolvedClaim, a: ClaimArm, b: ClaimArm, [low, high]: [number, number]): Verdict {
  if (a.episodes === 0 || b.episodes === 0) return 'no results yet';
  const threshold = claim.expect === 'beats' ? claim.margin : -claim.margin;
  if (low > threshold) return 'holds';
  if (high < threshold || (claim.expect === 'beats' && high === threshold)) return 'does not hold';
  return 'undecided at this sample size';
}

const rate = (arm: ClaimArm) =>
  arm.episodes === 0 ? 'no episodes' : `${arm.successes}/${arm.episodes} = ${arm.successRate.toFixed(2)} [${arm.successRateCi95[0].toFixed(2)}, ${arm.successRateCi95[1].toFixed(2)}]`;
const signed = (v: number) => (v > 0 ? '+' : v < 0 ? '−' : '±') + Math.abs(v).toFixed(2);

/** The report's claims section: one table row and one verdict line per claim. */
export function formatClaims(results: ClaimResult[]): string[] {
  if (results.length === 0) return [];
  const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [
    '## Claims',
    '',
    'Each claim compares two cells of the suite. Success rates carry 95% Wilson intervals; A − B carries the 95% ' +
      'interval of Newcombe (1998, method 10, hybrid score) for independent rates (the arms share seeds, which it ignores: ' +
      'conservative when their outcomes go together). A claim holds when that interval lies wholly above its threshold ' +
      '(beats: +margin; not-worse: −margin), does not hold when it lies wholly below, and is undecided otherwise.',
    '',
    row(['claim', 'A', 'success A [95% CI]', 'B', 'success B [95% CI]', 'A − B [95% CI]', 'verdict']),
    row(Array(7).fill('---')),
    ...results.map((r) =>
      row([r.name, r.a.label, rate(r.a), r.b.label, rate(r.b), r.a.episodes && r.b.episodes ? `${signed(r.difference)} [${signed(r.differenceCi95[0])}, ${signed(r.differenceCi95[1])}]` : '–', r.verdict]),
    ),
    '',
    ...results.map((r) => `- **${r.name}**: ${r.statement}: **${r.verdict}**.`),
    '',
  ];
}
