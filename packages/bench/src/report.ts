// report.md: one table row per scenario × robot × planner, the claims judged, then the plots.
import { formatClaims } from './claims.js';
import type { BenchSummary, GroupSummary } from './summary.js';

interface Column {
  title: string;
  cell(g: GroupSummary): string | undefined;
  /** Left out when every row leaves it empty (no planner reports a budget, say). */
  optional?: true;
}

const dash = '–';
const fixed = (v: number | null | undefined, digits: number) => (v === null || v === undefined ? undefined : v.toFixed(digits));

const COLUMNS: Column[] = [
  { title: 'scenario', cell: (g) => g.label.scenario },
  { title: 'robot', cell: (g) => g.robot },
  { title: 'planner', cell: (g) => g.label.planner },
  { title: 'episodes', cell: (g) => String(g.episodes) },
  // A cell with no episode yet (a partial or merged run) has no rate, not a rate of 0.
  { title: 'success rate [95% CI]', cell: (g) => (g.episodes === 0 ? undefined : `${g.successRate.toFixed(2)} [${g.successRateCi95[0].toFixed(2)}, ${g.successRateCi95[1].toFixed(2)}]`) },
  { title: 'steps to success', cell: (g) => fixed(g.stepsToSuccess, 1) },
  { title: 'plan ms p50', cell: (g) => fixed(g.planMs?.p50, 2) },
  { title: 'plan ms p95', cell: (g) => fixed(g.planMs?.p95, 2) },
  { title: 'rollout budget', cell: (g) => g.budget?.toString(), optional: true },
  { title: 'rollout steps/s', cell: (g) => fixed(g.rolloutStepsPerSecond, 0), optional: true },
  { title: 'guardrail hits/episode', cell: (g) => fixed(g.guardrailHitsPerEpisode, 2), optional: true },
];

/** `plots`: SVG files beside report.md (writeBenchPlots), embedded after the table. */
export function formatReport(summary: BenchSummary, plots: Array<{ file: string; title: string }> = []): string {
  const columns = COLUMNS.filter((c) => !c.optional || summary.groups.some((g) => c.cell(g) !== undefined));
  const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const missing = summary.expectedEpisodes - summary.episodes;
  return [
    `# Benchmark \`${summary.suite}\``,
    '',
    `${summary.episodes} episode${summary.episodes === 1 ? '' : 's'}${missing > 0 ? ` (${missing} of the suite's ${summary.expectedEpisodes} not run yet)` : ''}. ` +
      'Success rates carry 95% Wilson score intervals; steps to success average the successful episodes; ' +
      'planning times are wall-clock percentiles over every plan.',
    '',
    row(columns.map((c) => c.title)),
    row(columns.map(() => '---')),
    ...summary.groups.map((g) => row(columns.map((c) => c.cell(g) ?? dash))),
    '',
    ...formatClaims(summary.claims ?? []),
    ...plots.flatMap((p) => [`![${p.title}](${p.file})`, '']),
  ].join('\n');
}
