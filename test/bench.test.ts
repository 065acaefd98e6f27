import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { episodeMatrix, formatReport, summariseBench, WALL_CLOCK_FIELDS, wilsonInterval95, type BenchRecord } from '@itinera/bench';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'packages', 'cli', 'bin', 'itinera.js');
const SMOKE = join(ROOT, 'configs', 'bench', 'smoke.yaml');

function itinera(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tempDir = () => mkdtempSync(join(tmpdir(), 'itinera-bench-'));
const resultLines = (dir: string) => readFileSync(join(dir, 'results.jsonl'), 'utf8').split('\n').filter(Boolean);

/** Results without the wall-clock fields, in key order: what must not depend on how the run went. */
function measured(dir: string) {
  return resultLines(dir)
    .map((line) => {
      const record = JSON.parse(line);
      for (const field of WALL_CLOCK_FIELDS) delete record[field];
      return record;
    })
    .sort((a, b) => (a.key < b.key ? -1 : 1));
}

// Long enough episodes that a kill lands mid-run; still a few seconds in all.
const RESUMABLE_SUITE = `
name: resumable
seeds: [3, 1, 4]
scenarios: [{ sim: reach-v1, options: { maxSteps: 120 } }]
planners: [{ name: random }, { name: zero }]
`;

test('Wilson score interval matches published values', () => {
  const close = (actual: [number, number], expected: [number, number]) =>
    actual.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 5e-5, `${actual} vs ${expected}`));
  close(wilsonInterval95(8, 10), [0.49016, 0.94332]);
  close(wilsonInterval95(0, 20), [0, 0.16113]);
  close(wilsonInterval95(10, 10), [0.72247, 1]);
  close(wilsonInterval95(50, 100), [0.40383, 0.59617]);
});

test('summary and report: per-group statistics, rollout columns only for planners with a budget, labels tell options apart', () => {
  const specs = episodeMatrix(
    [{ name: 'reach-v1', options: {}, robots: ['reacher'] }],
    [
      { name: 'mppi', config: { budget: 800 } },
      { name: 'mppi', config: { budget: 1600 } },
      { name: 'zero', config: {} },
    ],
    [0, 1],
    'suite.yaml',
  );
  const record = (i: number, success: boolean, steps: number): BenchRecord => {
    const s = specs[i];
    const budget = s.plannerConfig.budget as number | undefined;
    const planTimesMs = [10, 20, 30, 40];
    return {
      ...s,
      success,
      steps,
      simTime: steps * 0.02,
      wallMs: 100,
      planMs: { mean: 25, p95: 40 },
      replans: 3,
      failure: success ? null : 'timeout',
      subgoals: [],
      planTimesMs,
      guardrailHits: 1,
      ...(budget !== undefined && { budget, rolloutSteps: budget * planTimesMs.length }),
    };
  };
  // The zero planner's second seed never ran.
  const summary = summariseBench('t', specs, [record(0, true, 20), record(1, false, 200), record(2, true, 30), record(3, true, 40), record(4, false, 200)]);
  assert.equal(summary.expectedEpisodes, 6);
  assert.equal(summary.episodes, 5);
  const [small, large, zero] = summary.groups;
  assert.deepEqual([small.label.planner, large.label.planner, zero.label.planner], ['mppi (budget=800)', 'mppi (budget=1600)', 'zero']);
  // An option only one config sets names that config alone (no `budget=undefined` on the other).
  const mixed = episodeMatrix([{ name: 'reach-v1', options: {}, robots: ['reacher'] }], [{ name: 'mppi', config: {} }, { name: 'mppi', config: { budget: 800 } }], [0], 'suite.yaml');
  const labels = summariseBench('t', mixed, [0, 1].map((i) => ({ ...record(i, true, 20), ...mixed[i] }))).groups.map((g) => g.label.planner);
  assert.deepEqual(labels, ['mppi', 'mppi (budget=800)']);
  assert.equal(small.successRate, 0.5);
  assert.equal(small.stepsToSuccess, 20);
  assert.equal(large.stepsToSuccess, 35);
  assert.deepEqual(large.successRateCi95, wilsonInterval95(2, 2));
  assert.equal(small.rolloutStepsPerSecond, (800 * 8) / 0.2);
  assert.equal(small.planMs?.p50, 25);
  assert.equal(zero.episodes, 1);
  assert.equal(zero.rolloutStepsPerSecond, undefined);
  const report = formatReport(summary);
  assert.match(report, /rollout steps\/s/);
  assert.match(report, /\| reach-v1 \| reacher \| zero \| 1 \| 0\.00 \[0\.00, 0\.79\] \| – \|/);
  assert.match(report, /1 of the suite's 6 not run yet/);
  // A cell none of whose episodes ran yet shows no rate rather than 0.00.
  assert.match(formatReport(summariseBench('t', specs, [record(0, true, 20)])), /\| zero \| 0 \| – \|/);
});

test('bench runs the smoke suite: results, summary and report, progress on stderr', () => {
  const out = tempDir();
  const r = itinera('bench', '--suite', SMOKE, '--out', out);
  assert.equal(r.code, 0, r.stderr);
  const lines = resultLines(out).map((l) => JSON.parse(l));
  assert.equal(lines.length, 4);
  assert.deepEqual(
    lines.map((l) => [l.planner, l.seed]),
    [['random', 0], ['random', 1], ['zero', 0], ['zero', 1]],
  );
  for (const l of lines) {
    for (const key of ['key', 'scenario', 'robot', 'planner', 'plannerConfig', 'scenarioOptions', 'success', 'steps', 'wallMs', 'planMs', 'failure']) assert.ok(key in l, key);
    assert.equal(l.scenario, 'reach-v1');
    assert.equal(l.robot, 'reacher');
    assert.equal(l.scenarioOptions.maxSteps, 40);
  }
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  assert.equal(summary.suite, 'smoke');
  assert.equal(summary.groups.length, 2);
  assert.deepEqual(summary.groups[0].successRateCi95, wilsonInterval95(summary.groups[0].successes, 2));
  const report = readFileSync(join(out, 'report.md'), 'utf8');
  assert.match(report, /\| reach-v1 \| reacher \| random \| 2 \|/);
  assert.match(report, /\| reach-v1 \| reacher \| zero \| 2 \|/);
  assert.equal(r.stdout, report, 'the report is also printed');
  assert.equal(r.stderr.match(/episode \d\/4/g)?.length, 4, 'one progress line per episode off a terminal');

  const again = itinera('bench', '--suite', SMOKE, '--out', out);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /already holds results: pass --resume .* or choose another --out/);
});

test('bench --resume after a SIGKILL re-runs only the missing episodes and matches an uninterrupted run', async () => {
  const dir = tempDir();
  const suite = join(dir, 'resumable.yaml');
  writeFileSync(suite, RESUMABLE_SUITE);
  const whole = join(dir, 'whole');
  assert.equal(itinera('bench', '--suite', suite, '--out', whole).code, 0);
  assert.equal(resultLines(whole).length, 6);

  const killed = join(dir, 'killed');
  const child = spawn(process.execPath, [BIN, 'bench', '--suite', suite, '--out', killed], { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const results = join(killed, 'results.jsonl');
  while (!(existsSync(results) && readFileSync(results, 'utf8').includes('\n'))) await sleep(5);
  child.kill('SIGKILL');
  await exited;
  // A kill mid-write leaves a partial last line, which resume drops: count whole lines only.
  const before = readFileSync(results, 'utf8').replace(/[^\n]*$/, '');
  const done = before.split('\n').filter(Boolean).length;
  assert.ok(done >= 1 && done < 6, `killed after ${done} episodes`);

  const resumed = itinera('bench', '--suite', suite, '--out', killed, '--resume');
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stderr, new RegExp(`resuming: ${done} of 6 episodes already done`));
  assert.equal(resumed.stderr.match(/episode \d\/\d/g)?.length, 6 - done, 'only the missing episodes ran');
  assert.ok(readFileSync(results, 'utf8').startsWith(before), 'earlier lines are kept');
  assert.deepEqual(measured(killed), measured(whole));
  assert.deepEqual(JSON.parse(readFileSync(join(killed, 'summary.json'), 'utf8')).groups.map((g: { successes: number }) => g.successes), JSON.parse(readFileSync(join(whole, 'summary.json'), 'utf8')).groups.map((g: { successes: number }) => g.successes));
});

test('bench --resume drops a half-written last line and runs its episode again', () => {
  const dir = tempDir();
  const whole = join(dir, 'whole');
  assert.equal(itinera('bench', '--suite', SMOKE, '--out', whole).code, 0);
  const truncated = join(dir, 'truncated');
  mkdirSync(truncated);
  const lines = resultLines(whole);
  writeFileSync(join(truncated, 'results.jsonl'), lines.slice(0, 2).join('\n') + '\n');
  appendFileSync(join(truncated, 'results.jsonl'), lines[2].slice(0, 60));
  copyFileSync(SMOKE, join(dir, 'smoke.yaml'));

  const r = itinera('bench', '--suite', join(dir, 'smoke.yaml'), '--out', truncated, '--resume');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /dropped a half-written last line .* its episode runs again/);
  assert.equal(r.stderr.match(/episode \d\/2/g)?.length, 2);
  assert.deepEqual(measured(truncated), measured(whole));
});

test('a malformed suite gives one line per problem, naming the file and the key, and exit code 1', () => {
  const dir = tempDir();
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'name: bad\nseeds: 0\nscenarios: [{ sim: reach-v1, optons: {} }]\nrobots: reacher\nplanners: [{ name: mppi }]\n');
  const r = itinera('bench', '--suite', bad, '--out', join(dir, 'out'));
  assert.equal(r.code, 1);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 3, r.stderr);
  for (const line of lines) assert.ok(line.startsWith(`itinera: ${bad}: `), line);
  assert.match(r.stderr, /: seeds: /);
  assert.match(r.stderr, /: scenarios\.0: .*optons/);
  assert.match(r.stderr, /: robots: /);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');

  // Names and options are checked against the registries, every problem at once.
  writeFileSync(bad, 'name: bad\nseeds: 2\nscenarios: [{ sim: nowhere }, { sim: reach-v1, options: { maxSteps: -1 } }]\nplanners: [{ name: mppi, options: { budget: 0 } }, { name: teleport }]\n');
  const r2 = itinera('bench', '--suite', bad, '--out', join(dir, 'out'));
  assert.equal(r2.code, 1);
  const lines2 = r2.stderr.trim().split('\n');
  assert.equal(lines2.length, 4, r2.stderr);
  for (const line of lines2) assert.ok(line.startsWith(`itinera: ${bad}: `), line);
  assert.match(lines2[0], /scenarios\.0\.sim: unknown sim 'nowhere'/);
  assert.match(lines2[1], /scenarios\.1\.options \(reach-v1\): maxSteps: /);
  assert.match(lines2[2], /planners\.0\.options \(mppi\): budget: /);
  assert.match(lines2[3], /planners\.1\.name: unknown planner 'teleport'/);

  writeFileSync(bad, 'name: bad\nseeds: [1, 2\n');
  const r3 = itinera('bench', '--suite', bad, '--out', join(dir, 'out'));
  assert.equal(r3.code, 1);
  assert.match(r3.stderr, new RegExp(`^itinera: ${bad}:\\d+:\\d+: `));
  assert.equal(existsSync(join(dir, 'out')), false, 'nothing is written for a bad suite');
});

test('a bench episode of the hierarchical planner is the episode `itinera run` gives: level triggers, subgoals and replans included', () => {
  const dir = tempDir();
  const suite = join(dir, 'hierarchy.yaml');
  writeFileSync(suite, 'name: hierarchy-short\nseeds: [2]\nscenarios: [{ sim: rooms, options: { maxSteps: 150 } }]\nplanners: [{ name: rover-hierarchical }]\n');
  assert.equal(itinera('bench', '--suite', suite, '--out', join(dir, 'out')).code, 0);
  const [benched] = measured(join(dir, 'out'));
  const r = itinera('run', '--sim', 'rooms', '--sim-opt', 'maxSteps=150', '--planner', 'rover-hierarchical', '--seed', '2', '--json');
  assert.equal(r.code, 0, r.stderr);
  const [ran] = JSON.parse(r.stdout).episodes;
  assert.ok(benched.subgoals.length > 0, 'the bench records the task tree\'s subgoals');
  assert.deepEqual(benched.subgoals, ran.subgoals);
  assert.deepEqual([benched.steps, benched.replans, benched.success], [ran.steps, ran.replans, ran.success]);
  assert.deepEqual(benched.levels, JSON.parse(r.stdout).levels, 'the bench records what each level planned on, as run reports it');
});
