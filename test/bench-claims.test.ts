import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { episodeMatrix, evaluateClaims, formatReport, newcombeInterval95, resolveClaims, suiteSchema, summariseBench, type BenchRecord } from '@itinera/bench';
import { resolveSuite } from '@itinera/cli/commands/bench';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'packages', 'cli', 'bin', 'itinera.js');
const run = (command: string, ...args: string[]) => {
  const r = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const itinera = (...args: string[]) => run(process.execPath, BIN, ...args);

test('Newcombe hybrid score interval matches the worked examples of Newcombe (1998), method 10', () => {
  // Table II of Newcombe, Statistics in Medicine 17:873–890 (1998): (a)–(f), method 10.
  const rows: Array<[number, number, number, number, [number, number]]> = [
    [56, 70, 48, 80, [0.0524, 0.3339]],
    [9, 10, 3, 10, [0.1705, 0.809]],
    [6, 7, 2, 7, [0.0582, 0.8062]],
    [5, 56, 0, 29, [-0.0381, 0.1926]],
    [0, 10, 0, 20, [-0.1611, 0.2775]],
    [10, 10, 0, 20, [0.6791, 1]],
  ];
  for (const [s1, n1, s2, n2, expected] of rows) {
    const { difference, ci95 } = newcombeInterval95(s1, n1, s2, n2);
    assert.ok(Math.abs(difference - (s1 / n1 - s2 / n2)) < 1e-12);
    ci95.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 5e-5, `${s1}/${n1} − ${s2}/${n2}: ${ci95} vs ${expected}`));
  }
});

const SUITE = {
  name: 'claims-unit',
  seeds: 20,
  scenarios: [{ sim: 'reach-v1' }, { sim: 'push' }],
  planners: [{ name: 'mppi' }, { name: 'cem' }, { name: 'zero' }],
  claims: [
    { name: 'mppi-beats-zero', a: { scenario: 'reach-v1', planner: 'mppi' }, b: { scenario: 'reach', planner: 'zero' }, expect: 'beats' },
    { name: 'zero-beats-mppi', a: { scenario: 0, planner: 'zero' }, b: { scenario: 0, planner: 0 }, expect: 'beats' },
    { name: 'cem-near-mppi', a: { scenario: 'push', planner: 'cem' }, b: { scenario: 'push', planner: 'mppi' }, expect: 'not-worse', margin: 0.1 },
    { name: 'cem-near-mppi-reach', a: { scenario: 0, planner: 'cem' }, b: { scenario: 0, planner: 'mppi' }, expect: 'not-worse', margin: 0.1 },
  ],
};

/** The suite's matrix as the CLI resolves it (robots and versions filled in), with `successes` per cell of 20. */
function judged(successes: Record<string, number>, suite: object = SUITE) {
  const parsed = suiteSchema.parse(suite);
  const specs = episodeMatrix(
    [{ name: 'reach-v1', options: {}, robots: ['reacher'] }, { name: 'push-v1', options: {}, robots: ['rover'] }],
    parsed.planners.map((p) => ({ name: p.name, config: p.options })),
    Array.from({ length: 20 }, (_, i) => i),
    'claims.yaml',
  );
  const records = specs.map((s): BenchRecord => {
    const success = s.seed < (successes[`${s.scenario}/${s.planner}`] ?? 0);
    return { ...s, success, steps: 10, simTime: 0.2, wallMs: 5, planMs: { mean: 1, p95: 1 }, replans: 0, failure: success ? null : 'timeout', subgoals: [], planTimesMs: [], guardrailHits: 0 };
  });
  const claims = resolveClaims(parsed, specs, 'claims.yaml');
  return { specs, records, claims, results: evaluateClaims(claims, specs, records) };
}

test('claims: a holding, a failing and two undecided verdicts, each from the Newcombe interval against the threshold', () => {
  const { results } = judged({ 'reach-v1/mppi': 18, 'reach-v1/cem': 15, 'reach-v1/zero': 0, 'push-v1/mppi': 20, 'push-v1/cem': 19 });
  const byName = Object.fromEntries(results.map((r) => [r.name, r]));
  assert.equal(byName['mppi-beats-zero'].verdict, 'holds');
  assert.deepEqual([byName['mppi-beats-zero'].a.successes, byName['mppi-beats-zero'].a.episodes], [18, 20]);
  assert.equal(byName['mppi-beats-zero'].a.label, 'reach-v1 · mppi');
  assert.equal(byName['zero-beats-mppi'].verdict, 'does not hold', '0/20 vs 18/20: the whole interval lies below 0');
  // 19/20 vs 20/20: −0.05, but the interval reaches below −0.1: too few seeds to say it is within 10 points.
  assert.equal(byName['cem-near-mppi'].verdict, 'undecided at this sample size');
  assert.ok(byName['cem-near-mppi'].differenceCi95[0] < -0.1 && byName['cem-near-mppi'].differenceCi95[1] > -0.1);
  // 15/20 vs 18/20 (−0.15): neither wholly above nor wholly below −0.1.
  assert.equal(byName['cem-near-mppi-reach'].verdict, 'undecided at this sample size');
  assert.match(byName['cem-near-mppi'].statement, /^push-v1 · cem succeeds at most 10 points less often than push-v1 · mppi$/);

  // At 20/20 vs 0/20, "within 10 points" fails outright.
  assert.equal(judged({ 'push-v1/mppi': 20, 'push-v1/cem': 0 }).results[2].verdict, 'does not hold');
});

test('the report gains a claims section; a cell with no episodes yet leaves its claim unjudged', () => {
  const { specs, records, claims } = judged({ 'reach-v1/mppi': 18 });
  const partial = records.filter((r) => r.planner !== 'zero');
  const summary = { ...summariseBench('claims-unit', specs, partial), claims: evaluateClaims(claims, specs, partial) };
  const report = formatReport(summary);
  assert.match(report, /## Claims/);
  assert.match(report, /\| mppi-beats-zero \| reach-v1 · mppi \| 18\/20 = 0\.90 \[0\.70, 0\.97\] \| reach-v1 · zero \| no episodes \| – \| no results yet \|/);
  assert.match(report, /\| cem-near-mppi-reach \| .* \| −0\.90 \[−0\.97, −0\.64\] \| does not hold \|/);
  assert.doesNotMatch(formatReport(summariseBench('claims-unit', specs, partial)), /Claims/, 'no claims, no section');
});

test('a claim naming no cell, or an ambiguous one, is one line per problem naming the key', () => {
  const bad = {
    ...SUITE,
    planners: [{ name: 'mppi' }, { name: 'mppi', options: { samples: 8 } }],
    claims: [
      { name: 'x', a: { scenario: 'rooms', planner: 0 }, b: { scenario: 0, planner: 7 }, expect: 'beats' },
      { name: 'y', a: { scenario: 0, planner: 'mppi' }, b: { scenario: 0, planner: 0 }, expect: 'beats' },
      { name: 'z', a: { scenario: 0, planner: 0 }, b: { scenario: 'reach-v1', planner: 0 }, expect: 'beats' },
    ],
  };
  assert.throws(
    () => judged({}, bad),
    (e: Error & { problems?: string[] }) => {
      assert.deepEqual(e.problems, [
        "claims.yaml: claims.0.a.scenario: no entry of scenarios is 'rooms' (scenarios: reach-v1, push)",
        'claims.yaml: claims.0.b.planner: position 7, but the suite has 2 planners',
        "claims.yaml: claims.1.a.planner: 'mppi' is planners.0 and planners.1: give its position (a number) instead",
        'claims.yaml: claims.2: a and b are the same cell (reach-v1 · mppi)',
      ]);
      return true;
    },
  );
});

test('claims through the CLI: shards merged judge the merged results, and npm run results writes the page', () => {
  const dir = mkdtempSync(join(tmpdir(), 'itinera-claims-'));
  const suite = join(dir, 'claims-smoke.yaml');
  writeFileSync(
    suite,
    `name: claims-smoke
seeds: [0, 1, 2]
scenarios: [{ sim: reach-v1, options: { maxSteps: 10 } }]
planners: [{ name: random }, { name: zero }]
claims:
  - { name: random-beats-zero, a: { scenario: reach, planner: random }, b: { scenario: reach, planner: zero }, expect: beats }
`,
  );
  for (const shard of ['1/2', '2/2']) {
    const r = itinera('bench', '--suite', suite, '--out', join(dir, `s${shard[0]}`), '--shard', shard);
    assert.equal(r.code, 0, r.stderr);
  }
  const first = JSON.parse(readFileSync(join(dir, 's1', 'summary.json'), 'utf8'));
  assert.equal(first.claims[0].a.episodes + first.claims[0].b.episodes, 3, 'a shard judges its own half');
  const merged = itinera('bench', 'merge', join(dir, 's1'), join(dir, 's2'), '--out', join(dir, 'all'));
  assert.equal(merged.code, 0, merged.stderr);
  const claim = JSON.parse(readFileSync(join(dir, 'all', 'summary.json'), 'utf8')).claims[0];
  assert.deepEqual([claim.a.episodes, claim.b.episodes, claim.a.successes, claim.verdict], [3, 3, 0, 'undecided at this sample size']);
  assert.match(merged.stdout, /\| random-beats-zero \| reach-v1 \(maxSteps=10\) · random \| 0\/3 = 0\.00 \[0\.00, 0\.56\] \|/);

  const page = run('npm', 'run', '-s', 'results', '--', join(dir, 'all'));
  assert.equal(page.code, 0, page.stderr);
  assert.match(page.stdout, /^# Results\n/);
  assert.match(page.stdout, /at commit `[0-9a-f]{12}`/);
  assert.match(page.stdout, /## Suite `claims-smoke`\n\n- command: `\(suite 'claims-smoke' is not under configs\/bench\)`\n- suite hash [0-9a-f]{16}; 6 of 6 episodes done; seeds 0–2\n/);
  assert.match(page.stdout, /### Claims[\s\S]*- \*\*random-beats-zero\*\*: reach-v1 \(maxSteps=10\) · random succeeds more often than reach-v1 \(maxSteps=10\) · zero: \*\*undecided at this sample size\*\*\./);
  const missing = run('npm', 'run', '-s', 'results', '--', join(dir, 'nothing'));
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /has no suite\.json/);
});

test("the project's claims suites resolve: every claim names two cells of its suite", async () => {
  const suites = ['claims-distractors', 'claims-movers', 'claims-learned-reach', 'claims-learned-push', 'hierarchy', 'learned-flagship'];
  for (const name of suites) {
    const { claims, specs } = await resolveSuite(join(ROOT, 'configs', 'bench', `${name}.yaml`));
    assert.ok(claims.length > 0, name);
    const cells = new Set(specs.map((s) => s.key.slice(0, s.key.lastIndexOf('/seed-'))));
    for (const claim of claims) assert.ok(cells.has(claim.a.cell) && cells.has(claim.b.cell) && claim.a.cell !== claim.b.cell, `${name}: ${claim.name}`);
  }
});
