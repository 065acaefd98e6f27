// The bench report's SVG plots, from a made-up suite whose numbers are known: success rates with intervals,
// latency boxes, and success against budget only when a suite sweeps it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchPlots, episodeMatrix, formatReport, summariseBench, writeBenchPlots, type BenchRecord, type EpisodeSpec } from '@itinera/bench';

const SEEDS = Array.from({ length: 10 }, (_, i) => i);

/** reach and push × MPPI at three budgets, CEM at one, random; success grows with budget. */
function madeUpBench(planners = [300, 1200, 4800].map((budget) => ({ name: 'mppi', config: { budget } }))) {
  const axes = [...planners, { name: 'cem', config: { budget: 1200 } }, { name: 'random', config: {} }];
  const specs = episodeMatrix(
    [
      { name: 'reach-v1', options: {}, robots: ['reacher'] },
      { name: 'push-v1', options: {}, robots: ['rover'] },
    ],
    axes,
    SEEDS,
    'made-up.yaml',
  );
  const records = specs.map((spec) => record(spec));
  return { specs, records, summary: summariseBench('made-up', specs, records) };
}

function record(spec: EpisodeSpec): BenchRecord {
  const budget = spec.plannerConfig.budget as number | undefined;
  const skill = budget === undefined ? 0 : Math.log2(budget / 150) / 5 - (spec.scenario === 'push-v1' ? 0.3 : 0);
  const success = spec.seed / SEEDS.length < skill;
  const { scenarioIndex, plannerIndex, ...what } = spec;
  return {
    ...what,
    ...(budget !== undefined && { budget, rolloutSteps: budget * 20 }),
    success,
    steps: 20,
    simTime: 0.4,
    wallMs: 100,
    planMs: { mean: 1, p95: 2 },
    replans: 19,
    failure: success ? null : 'timeout',
    subgoals: [],
    planTimesMs: Array.from({ length: 20 }, (_, i) => (budget ?? 0.5) / 100 + i / 10),
    guardrailHits: 0,
  };
}

test('three plots when a suite sweeps the budget: success with intervals, latency, success against budget', async () => {
  const { summary, records } = madeUpBench();
  const plots = await benchPlots(summary, records);
  assert.deepEqual(plots.map((p) => p.file), ['success-rate.svg', 'plan-latency.svg', 'success-vs-budget.svg']);
  for (const plot of plots) {
    assert.match(plot.svg, /^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.ok(plot.svg.includes(plot.title), `${plot.file} carries its title`);
    for (const name of ['reach-v1', 'push-v1']) assert.ok(plot.svg.includes(`>${name}</text>`), `${plot.file} has a ${name} panel`);
  }
  const [rates, latency, budget] = plots.map((p) => p.svg);
  for (const label of ['mppi (budget=300)', 'mppi (budget=4800)', 'cem', 'random']) assert.ok(rates.includes(label), label);
  // One interval (a rule) per scenario × planner, and the k/n counts above them.
  assert.equal(ruleLines(rates), summary.groups.length);
  for (const g of summary.groups) assert.ok(rates.includes(`>${g.successes}/${g.episodes}</text>`));
  assert.ok(latency.includes('ms per plan (log)'));
  assert.equal(count(latency, 'aria-roledescription="box"'), summary.groups.length, 'one quartile box per scenario × planner');
  // The budget plot: one line per scenario for MPPI (CEM ran at one budget only, random has none).
  assert.ok(budget.includes('rollout steps per plan (log)'));
  assert.equal(count(budget, 'aria-roledescription="line mark"'), 2);
  assert.ok(!budget.includes('>cem</text>'));
});

test('no budget plot when nothing is swept; the report embeds the plots it was given, and they are written beside it', async () => {
  const { summary, records } = madeUpBench([{ name: 'mppi', config: { budget: 1200 } }]);
  const dir = mkdtempSync(join(tmpdir(), 'itinera-plots-'));
  const plots = await writeBenchPlots(dir, summary, records);
  assert.deepEqual(plots.map((p) => p.file), ['success-rate.svg', 'plan-latency.svg']);
  for (const p of plots) assert.ok(existsSync(join(dir, p.file)) && readFileSync(join(dir, p.file), 'utf8').startsWith('<svg'));
  const report = formatReport(summary, plots);
  assert.match(report, /\n!\[Success rate with 95% Wilson interval\]\(success-rate\.svg\)\n/);
  assert.match(report, /\n!\[Planning latency per plan[^\]]*\]\(plan-latency\.svg\)\n/);
  assert.doesNotMatch(formatReport(summary), /!\[/, 'no plots, no images');
});

const count = (svg: string, text: string) => svg.split(text).length - 1;

/** Lines drawn by the rule marks (the intervals) in a Vega SVG. */
function ruleLines(svg: string): number {
  return [...svg.matchAll(/<g class="mark-rule role-mark[^>]*>(.*?)<\/g>/g)].reduce((n, m) => n + (m[1].match(/<line /g) ?? []).length, 0);
}
