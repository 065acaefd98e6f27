// Benchmarks past one process: --shard + bench merge, --workers, and faults that end an episode, not the benchmark.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runBenchEpisode, type BenchRecord } from '@itinera/bench';
import { resolveSuite } from '@itinera/cli/commands/bench';
import { benchRecords as records, byKey, measured } from './bench-results.js';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'packages', 'cli', 'bin', 'itinera.js');
const SMOKE = join(ROOT, 'configs', 'bench', 'smoke.yaml');

function itinera(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 180_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'itinera-bench-scale-'));

/** summary.json without wall-clock statistics. */
function summaryMeasured(out: string) {
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  for (const g of summary.groups) {
    delete g.planMs;
    delete g.rolloutStepsPerSecond;
  }
  return summary;
}

/** report.md with the wall-clock columns (plan ms, rollout steps/s) left out. */
function reportMeasured(out: string) {
  const lines = readFileSync(join(out, 'report.md'), 'utf8').split('\n');
  const header = lines.find((l) => l.startsWith('| scenario'))!.split('|');
  const clock = new Set(header.flatMap((cell, i) => (/plan ms|steps\/s/.test(cell) ? [i] : [])));
  return lines.map((l) => (l.startsWith('|') ? l.split('|').filter((_, i) => !clock.has(i)).join('|') : l)).join('\n');
}

let singleRun: string | undefined;
/** The smoke suite run once, in one process, on the main thread. */
function single(): string {
  if (singleRun) return singleRun;
  const out = join(dir, 'single');
  const r = itinera('bench', '--suite', SMOKE, '--out', out);
  assert.equal(r.code, 0, r.stderr);
  return (singleRun = out);
}

test('--shard 1/2 and 2/2 (counted from 1) merged give the results, summary and report of a single run', () => {
  const shards = ['1/2', '2/2'].map((shard, i) => {
    const out = join(dir, `shard-${i}`);
    const r = itinera('bench', '--suite', SMOKE, '--out', out, '--shard', shard);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(records(out).length, 2, `shard ${shard} runs half of the 4 episodes`);
    return out;
  });
  const merged = join(dir, 'merged');
  const r = itinera('bench', 'merge', ...shards, '--out', merged);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '', 'nothing missing, nothing doubled');

  const whole = single();
  assert.deepEqual(records(merged).map(measured), records(whole).map(measured), 'same episodes, same results, same (suite) order');
  assert.deepEqual(summaryMeasured(merged), summaryMeasured(whole));
  assert.equal(reportMeasured(merged), reportMeasured(whole));
  assert.equal(r.stdout, readFileSync(join(merged, 'report.md'), 'utf8'));
  assert.deepEqual(JSON.parse(readFileSync(join(merged, 'suite.json'), 'utf8')), JSON.parse(readFileSync(join(whole, 'suite.json'), 'utf8')));

  // A missing shard is said, and the report counts what has not run.
  const partial = itinera('bench', 'merge', shards[0], '--out', join(dir, 'partial'));
  assert.equal(partial.code, 0, partial.stderr);
  assert.match(partial.stderr, /shard 2\/2 not among the merged directories/);
  assert.match(partial.stdout, /2 of the suite's 4 not run yet/);
});

test('bench merge refuses shards of different suites, and --shard rejects a bad slice', () => {
  const other = join(dir, 'other.yaml');
  writeFileSync(other, readFileSync(SMOKE, 'utf8').replace('seeds: 2', 'seeds: 3'));
  const otherShard = join(dir, 'other-shard-1');
  assert.equal(itinera('bench', '--suite', other, '--out', otherShard, '--shard', '1/2').code, 0);
  const r = itinera('bench', 'merge', single(), otherShard, '--out', join(dir, 'mixed'));
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^itinera: .*other-shard-1 holds suite 'smoke' \(hash \w+\), .* \(hash \w+\): only shards of one suite merge\n$/);

  const wrongSuite = itinera('bench', '--suite', other, '--out', single(), '--resume');
  assert.equal(wrongSuite.code, 1);
  assert.match(wrongSuite.stderr, /holds results of suite 'smoke' \(hash \w+\), not of this suite/);

  for (const slice of ['0/2', '3/2']) {
    const bad = itinera('bench', '--suite', SMOKE, '--out', join(dir, 'bad-shard'), '--shard', slice);
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr, `itinera: --shard must be i/N with 1 ≤ i ≤ N, e.g. 1/4 (got '${slice}')\n`);
  }
});

test('--workers 2 gives the same per-episode results as one process, each written once', () => {
  const out = join(dir, 'workers-2');
  const r = itinera('bench', '--suite', SMOKE, '--out', out, '--workers', '2');
  assert.equal(r.code, 0, r.stderr);
  const lines = records(out);
  assert.equal(new Set(lines.map((l) => l.key)).size, 4);
  assert.deepEqual(byKey(lines), byKey(records(single())));
  assert.deepEqual(summaryMeasured(out), summaryMeasured(single()));
});

test('a physics blow-up ends its episode as diverged and the benchmark goes on, on worker threads too', () => {
  // The reacher with actuators a billion times too strong: random torques blow it up on the first step.
  const { name: _name, ...reacher } = parse(readFileSync(join(ROOT, 'configs', 'robots', 'reacher.yaml'), 'utf8'));
  reacher.actuators = reacher.actuators.map((a: object) => ({ ...a, limit: 1e9 }));
  const robot = join(dir, 'runaway-reacher.mjs');
  writeFileSync(robot, `export default { name: 'runaway-reacher', spec: ${JSON.stringify(reacher)} };\n`);
  const suite = join(dir, 'runaway.yaml');
  writeFileSync(suite, `name: runaway\nseeds: 2\nscenarios: [{ sim: reach-v1, options: { maxSteps: 20 } }]\nrobots: ['${robot}']\nplanners: [{ name: random }, { name: zero }]\n`);
  const out = join(dir, 'runaway');
  const r = itinera('bench', '--suite', suite, '--out', out, '--workers', '2');
  assert.equal(r.code, 0, r.stderr);
  const lines = records(out).sort((a, b) => (String(a.key) < String(b.key) ? -1 : 1));
  assert.deepEqual(
    lines.map((l) => [l.planner, l.failure]),
    [['random', 'diverged'], ['random', 'diverged'], ['zero', 'timeout'], ['zero', 'timeout']],
  );
  assert.match(readFileSync(join(out, 'report.md'), 'utf8'), /\| zero \| 2 \|/);
});

test('a planner that throws ends its episode as planner-error with the message; the next episode runs', async () => {
  const { specs, setUp } = await resolveSuite(SMOKE);
  const failing = specs[0].key;
  const results: BenchRecord[] = [];
  for (const spec of specs) {
    results.push(
      await runBenchEpisode(spec, async (s) => {
        const rig = await setUp(s);
        if (s.key !== failing) return rig;
        let plans = 0;
        const planner = rig.planner;
        rig.planner = {
          name: planner.name,
          reset: (seed) => planner.reset(seed),
          dispose: () => planner.dispose(),
          plan: (request) => {
            if (++plans === 3) throw new Error('solver exploded on plan 3');
            return planner.plan(request);
          },
        };
        return rig;
      }),
    );
  }
  assert.equal(results.length, 4);
  assert.equal(results[0].failure, 'planner-error');
  assert.match(results[0].failureDetail ?? '', /solver exploded on plan 3/);
  assert.ok(results[0].steps >= 1 && results[0].steps < 40, `ended early, at step ${results[0].steps}`);
  assert.deepEqual(
    results.slice(1).map(measured),
    records(single()).slice(1).map(measured),
    'the episodes after it are those of a clean run',
  );
});
