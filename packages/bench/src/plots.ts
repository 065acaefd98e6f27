// The report's plots as SVG files, drawn by Vega-Lite in Node (no DOM, no browser): success rate with its 95%
// interval per planner and scenario, planning latency per plan, and success against rollout budget when swept.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { BenchRecord } from './bench-episode.js';
import { canonicalJson } from './matrix.js';
import type { BenchSummary, GroupSummary } from './summary.js';

export interface ReportPlot {
  /** File name beside report.md. */
  file: string;
  title: string;
}

type Row = Record<string, string | number>;

const FONT = { font: 'Helvetica, Arial, sans-serif' };

/** Scenario as the plots name it: with the robot when the suite runs it with more than one. */
function scenarioName(g: GroupSummary, summary: BenchSummary): string {
  const robots = new Set(summary.groups.filter((x) => x.label.scenario === g.label.scenario).map((x) => x.robot));
  return robots.size > 1 ? `${g.label.scenario} · ${g.robot}` : g.label.scenario;
}

/** Panels and bars in suite order, not alphabetical: explicit domains. */
function order(values: Row[], field: string): string[] {
  return [...new Set(values.map((v) => String(v[field])))];
}

const plannerColour = (values: Row[]) => ({ field: 'planner', type: 'nominal', title: 'planner', scale: { domain: order(values, 'planner') } }) as const;
const scenarioColumns = (values: Row[]) => ({ column: { field: 'scenario', type: 'nominal', title: null, sort: order(values, 'scenario') } }) as const;
const plannerAxis = (values: Row[]) => ({ field: 'planner', type: 'nominal', title: null, sort: order(values, 'planner'), axis: { labelAngle: -30 } }) as const;

const groupKey = (x: Pick<GroupSummary, 'scenario' | 'scenarioOptions' | 'robot' | 'planner' | 'plannerConfig'>) =>
  canonicalJson([x.scenario, x.scenarioOptions, x.robot, x.planner, x.plannerConfig]);

function successRateSpec(summary: BenchSummary): TopLevelSpec {
  const values: Row[] = summary.groups.map((g) => ({
    scenario: scenarioName(g, summary),
    planner: g.label.planner,
    rate: g.successRate,
    low: g.successRateCi95[0],
    high: g.successRateCi95[1],
    count: `${g.successes}/${g.episodes}`,
  }));
  const x = plannerAxis(values);
  return {
    title: { text: 'Success rate with 95% Wilson interval', ...FONT },
    data: { values },
    facet: scenarioColumns(values),
    spec: {
      width: { step: 34 },
      height: 180,
      layer: [
        { mark: { type: 'bar', opacity: 0.85 }, encoding: { x, y: { field: 'rate', type: 'quantitative', title: 'success rate', scale: { domain: [0, 1] } }, color: plannerColour(values) } },
        { mark: { type: 'rule', strokeWidth: 1.5 }, encoding: { x, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' } } },
        { mark: { type: 'tick', thickness: 1.5, size: 12, color: 'black' }, encoding: { x, y: { field: 'low', type: 'quantitative' } } },
        { mark: { type: 'tick', thickness: 1.5, size: 12, color: 'black' }, encoding: { x, y: { field: 'high', type: 'quantitative' } } },
        { mark: { type: 'text', dy: -6, fontSize: 9 }, encoding: { x, y: { field: 'high', type: 'quantitative' }, text: { field: 'count' } } },
      ],
    },
  } as TopLevelSpec;
}

function latencySpec(summary: BenchSummary, records: BenchRecord[]): TopLevelSpec | undefined {
  const groups = new Map(summary.groups.map((g) => [groupKey(g), g]));
  const values: Row[] = [];
  for (const r of records) {
    const g = groups.get(groupKey(r));
    // A log axis cannot show 0 ms (trivial planners at microsecond resolution): a microsecond floor.
    if (g) for (const ms of r.planTimesMs) values.push({ scenario: scenarioName(g, summary), planner: g.label.planner, ms: Math.max(ms, 0.001) });
  }
  if (values.length === 0) return undefined;
  return {
    title: { text: 'Planning latency per plan (wall clock; box: quartiles, whiskers: min–max)', ...FONT },
    data: { values },
    facet: scenarioColumns(values),
    spec: {
      width: { step: 34 },
      height: 180,
      mark: { type: 'boxplot', extent: 'min-max', size: 18 },
      encoding: {
        x: plannerAxis(values),
        y: { field: 'ms', type: 'quantitative', title: 'ms per plan (log)', scale: { type: 'log' }, axis: { values: powersOfTen(values.map((v) => v.ms as number)) } },
        color: plannerColour(values),
      },
    },
  } as TopLevelSpec;
}

/** Rows for planners whose suite entries differ only in rollout budget, when at least two budgets were run. */
function budgetRows(summary: BenchSummary): Row[] {
  // A series is a planner with its options but the budget (and the samples a budget sets).
  const others = (g: GroupSummary) => Object.fromEntries(Object.entries(g.plannerConfig).filter(([k]) => k !== 'budget' && k !== 'samples'));
  const seriesOf = (g: GroupSummary) => canonicalJson([g.planner, others(g)]);
  const withBudget = summary.groups.filter((g) => g.budget !== undefined);
  const budgets = new Map<string, Set<number>>();
  for (const g of withBudget) {
    const key = canonicalJson([scenarioName(g, summary), seriesOf(g)]);
    budgets.set(key, (budgets.get(key) ?? new Set()).add(g.budget!));
  }
  const swept = new Set([...budgets].filter(([, b]) => b.size > 1).map(([key]) => JSON.parse(key)[1] as string));
  const groups = withBudget.filter((g) => swept.has(seriesOf(g)));
  return groups.map((g) => ({
    scenario: scenarioName(g, summary),
    planner: seriesName(g, groups.filter((x) => x.planner === g.planner).map(others), others(g)),
    budget: g.budget!,
    rate: g.successRate,
    low: g.successRateCi95[0],
    high: g.successRateCi95[1],
  }));
}

/** The planner's name, with the options that tell its swept series apart: `mppi (horizon=30)`. */
function seriesName(g: GroupSummary, all: Array<Record<string, unknown>>, mine: Record<string, unknown>): string {
  const keys = [...new Set(all.flatMap((o) => Object.keys(o)))].filter((k) => new Set(all.map((o) => canonicalJson(o[k]))).size > 1);
  return keys.length === 0 ? g.planner : `${g.planner} (${keys.map((k) => `${k}=${JSON.stringify(mine[k])}`).join(', ')})`;
}

function budgetSpec(summary: BenchSummary): TopLevelSpec | undefined {
  const values = budgetRows(summary);
  if (values.length === 0) return undefined;
  const x = { field: 'budget', type: 'quantitative', title: 'rollout steps per plan (log)', scale: { type: 'log' } } as const;
  return {
    title: { text: 'Success rate against compute budget, with 95% Wilson interval', ...FONT },
    data: { values },
    facet: scenarioColumns(values),
    spec: {
      width: 220,
      height: 180,
      encoding: { x, color: plannerColour(values) },
      layer: [
        { mark: { type: 'area', opacity: 0.15 }, encoding: { y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' } } },
        { mark: { type: 'line', point: true }, encoding: { y: { field: 'rate', type: 'quantitative', title: 'success rate', scale: { domain: [0, 1] } } } },
      ],
    },
  } as TopLevelSpec;
}

/** Axis ticks at the powers of ten that span the values: a log axis without clutter. */
function powersOfTen(values: number[]): number[] {
  const low = Math.floor(Math.log10(values.reduce((a, b) => Math.min(a, b))));
  const high = Math.ceil(Math.log10(values.reduce((a, b) => Math.max(a, b))));
  return Array.from({ length: high - low + 1 }, (_, i) => 10 ** (low + i));
}

/** One Vega-Lite spec drawn to an SVG string, headless. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile({ background: 'white', config: { legend: { labelLimit: 400 }, axis: { labelLimit: 300 } }, ...spec } as TopLevelSpec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The plots a summary supports, as SVG strings by file name. */
export async function benchPlots(summary: BenchSummary, records: BenchRecord[]): Promise<Array<ReportPlot & { svg: string }>> {
  const specs: Array<[string, TopLevelSpec | undefined]> = [
    ['success-rate.svg', summary.groups.length > 0 ? successRateSpec(summary) : undefined],
    ['plan-latency.svg', latencySpec(summary, records)],
    ['success-vs-budget.svg', budgetSpec(summary)],
  ];
  const plots: Array<ReportPlot & { svg: string }> = [];
  for (const [file, spec] of specs) {
    if (spec) plots.push({ file, title: (spec.title as { text: string }).text, svg: await renderSvg(spec) });
  }
  return plots;
}

/** Writes the plots into `dir` (beside report.md) and returns what the report links to. */
export async function writeBenchPlots(dir: string, summary: BenchSummary, records: BenchRecord[]): Promise<ReportPlot[]> {
  const plots = await benchPlots(summary, records);
  for (const plot of plots) writeFileSync(join(dir, plot.file), plot.svg);
  return plots.map(({ file, title }) => ({ file, title }));
}
