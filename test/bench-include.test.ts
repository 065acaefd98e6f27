// A suite that includes others (`include:`): each part keeps its own seeds, entries and claims; episodes two parts
// share run once; worker threads, shards, merge, resume and queue-carried texts work as for a plain suite.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSuiteFile, suiteHash } from '@itinera/bench';
import { resolveSuite } from '@itinera/cli/commands/bench';
import { benchRecords as records, byKey } from './bench-results.js';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'packages', 'cli', 'bin', 'itinera.js');

function itinera(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 180_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}


/** all.yaml includes parts/a.yaml and parts/nest.yaml, which includes b.yaml beside it; a and b share seed 1. */
function composite(): { dir: string; suite: string } {
  const dir = mkdtempSync(join(tmpdir(), 'itinera-include-'));
  mkdirSync(join(dir, 'parts'));
  const reach = '[{ sim: reach-v1, options: { maxSteps: 10 } }]';
  writeFileSync(
    join(dir, 'parts', 'a.yaml'),
    `name: part-a\nseeds: [0, 1]\nscenarios: ${reach}\nplanners: [{ name: random }, { name: zero }]\nclaims:\n  - { name: random-beats-zero, a: { scenario: reach, planner: random }, b: { scenario: reach, planner: zero }, expect: beats }\n`,
  );
  writeFileSync(
    join(dir, 'parts', 'b.yaml'),
    `name: part-b\nseeds: [1, 2]\nscenarios: ${reach}\nplanners: [{ name: zero }, { name: random }]\nclaims:\n  - { name: zero-not-worse, a: { scenario: 0, planner: zero }, b: { scenario: 0, planner: random }, expect: not-worse, margin: 0.1 }\n`,
  );
  writeFileSync(join(dir, 'parts', 'nest.yaml'), 'name: nest\ninclude: [b.yaml]\n');
  const suite = join(dir, 'all.yaml');
  writeFileSync(suite, 'name: all\ninclude: [parts/a.yaml, parts/nest.yaml]\n');
  return { dir, suite };
}

const keyOf = (planner: string, seed: number) => new RegExp(`^reach-v1/reacher/${planner}/[0-9a-f]{10}/seed-${seed}$`);

test('a composite runs both parts on worker threads (shared episodes once); shards merge to it; resume runs nothing again', () => {
  const { dir, suite } = composite();
  const whole = itinera('bench', '--suite', suite, '--out', join(dir, 'whole'), '--workers', '2');
  assert.equal(whole.code, 0, whole.stderr);
  const keys = records(join(dir, 'whole')).map((r) => String(r.key));
  // a: random and zero × seeds 0, 1; b adds seed 2 of each (its seed 1 episodes are a's).
  assert.equal(keys.length, 6, keys.join('\n'));
  assert.equal(new Set(keys).size, 6, 'each episode once');
  for (const [planner, seed] of [['random', 0], ['random', 1], ['random', 2], ['zero', 0], ['zero', 1], ['zero', 2]] as const) {
    assert.ok(keys.some((k) => keyOf(planner, seed).test(k)), `${planner} seed ${seed}`);
  }
  const summary = JSON.parse(readFileSync(join(dir, 'whole', 'summary.json'), 'utf8'));
  assert.equal(summary.suite, 'all');
  assert.deepEqual(
    summary.claims.map((c: { name: string; a: { episodes: number }; b: { episodes: number } }) => [c.name, c.a.episodes, c.b.episodes]),
    [
      ['random-beats-zero', 3, 3],
      ['zero-not-worse', 3, 3],
    ],
    "a claim judges its cell's results, whichever part asked for them",
  );
  const report = readFileSync(join(dir, 'whole', 'report.md'), 'utf8');
  assert.match(report, /^# Benchmark `all`/);
  assert.match(report, /\| random-beats-zero \| reach-v1 \(maxSteps=10\) · random \|/);
  assert.match(report, /\| zero-not-worse \| reach-v1 \(maxSteps=10\) · zero \|/);

  const again = itinera('bench', '--suite', suite, '--out', join(dir, 'whole'), '--resume');
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /resuming: 6 of 6 episodes already done/);
  assert.equal(records(join(dir, 'whole')).length, 6, 'nothing ran again');

  const manifest = JSON.parse(readFileSync(join(dir, 'whole', 'suite.json'), 'utf8'));
  for (const shard of ['1/2', '2/2']) {
    const out = join(dir, `shard${shard[0]}`);
    const r = itinera('bench', '--suite', suite, '--out', out, '--shard', shard);
    assert.equal(r.code, 0, r.stderr);
    const slice = manifest.episodes.filter((_: unknown, j: number) => j % 2 === Number(shard[0]) - 1).map((s: { key: string }) => s.key);
    assert.deepEqual(records(out).map((r) => r.key).sort(), slice.sort(), `shard ${shard} runs its slice`);
  }
  const merged = itinera('bench', 'merge', join(dir, 'shard1'), join(dir, 'shard2'), '--out', join(dir, 'merged'));
  assert.equal(merged.code, 0, merged.stderr);
  assert.deepEqual(byKey(records(join(dir, 'merged'))), byKey(records(join(dir, 'whole'))));
  assert.match(merged.stdout, /- \*\*random-beats-zero\*\*: [^\n]*\n- \*\*zero-not-worse\*\*: /);
});

test('an include cycle and a missing included file are one line each, naming the files and the key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'itinera-include-'));
  const a = join(dir, 'a.yaml');
  const b = join(dir, 'b.yaml');
  writeFileSync(a, 'name: a\ninclude: [b.yaml]\n');
  writeFileSync(b, 'name: b\ninclude: [a.yaml]\n');
  const cycle = itinera('bench', '--suite', a, '--out', join(dir, 'out'));
  assert.equal(cycle.code, 1);
  assert.equal(cycle.stderr, `itinera: ${b}: include.0: 'a.yaml' makes a cycle: ${a} → ${b} → ${a}\n`);

  writeFileSync(b, 'name: b\nseeds: 1\nscenarios: [{ sim: reach-v1 }]\nplanners: [{ name: zero }]\n');
  writeFileSync(a, 'name: a\ninclude: [b.yaml, b.yaml, gone.yaml]\n');
  const missing = itinera('bench', '--suite', a, '--out', join(dir, 'out'));
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr, `itinera: ${a}: include.2: 'gone.yaml' does not exist (${join(dir, 'gone.yaml')})\n`);
});

test('a suite with include has all of seeds, scenarios and planners of its own or none, and claims only with them', () => {
  assert.deepEqual(parseSuiteFile('name: c\ninclude: [x.yaml]\n', 'c.yaml'), { name: 'c', include: ['x.yaml'] });
  const problems = (text: string) => {
    try {
      parseSuiteFile(text, 'c.yaml');
    } catch (error) {
      return (error as { problems: string[] }).problems;
    }
    return [];
  };
  assert.deepEqual(problems('name: c\ninclude: [x.yaml]\nseeds: 2\n'), [
    'c.yaml: scenarios: a suite with include and its own seeds needs scenarios too (or none of seeds, scenarios, planners)',
    'c.yaml: planners: a suite with include and its own seeds needs planners too (or none of seeds, scenarios, planners)',
  ]);
  assert.match(problems("name: c\ninclude: [x.yaml]\nclaims: [{ name: x, a: { scenario: 0, planner: 0 }, b: { scenario: 0, planner: 1 }, expect: beats }]\n")[0], /^c\.yaml: claims: a suite with include makes claims about its own scenarios/);
  assert.match(problems('name: c\ninclude: []\n')[0], /^c\.yaml: include: /);
  assert.match(problems('name: c\ninclude: [x.yaml]\nrobots: [reacher]\n')[0], /^c\.yaml: robots: a suite with include has robots only with /);
});

test('a queue worker resolves a composite from the texts its job carries, with no copy of the files', async () => {
  const { dir, suite } = composite();
  const here = await resolveSuite(suite);
  assert.equal(Object.keys(here.texts).length, 4);
  // Another machine: the same paths, but nothing on its disk.
  const texts = Object.fromEntries(Object.entries(here.texts).map(([path, text]) => [path.replace(dir, join(dir, 'elsewhere')), text]));
  const there = await resolveSuite(join(dir, 'elsewhere', 'all.yaml'), texts);
  assert.equal(suiteHash(there.name, there.specs), suiteHash(here.name, here.specs));
  const { [join(dir, 'elsewhere', 'parts', 'b.yaml')]: _dropped, ...short } = texts;
  await assert.rejects(resolveSuite(join(dir, 'elsewhere', 'all.yaml'), short), (e: Error & { problems?: string[] }) => {
    assert.deepEqual(e.problems, [`${join(dir, 'elsewhere', 'parts', 'nest.yaml')}: include.0: '${join(dir, 'elsewhere', 'parts', 'b.yaml')}' is not among the suite files the queue job carries`]);
    return true;
  });
});

test("configs/bench/claims.yaml is the six claims suites: their claims, their episodes, shared ones once", async () => {
  const parts = ['claims-distractors', 'claims-movers', 'claims-learned-reach', 'claims-learned-push', 'learned-flagship', 'hierarchy'];
  const resolved = await Promise.all(parts.map((name) => resolveSuite(join(ROOT, 'configs', 'bench', `${name}.yaml`))));
  const all = await resolveSuite(join(ROOT, 'configs', 'bench', 'claims.yaml'));
  assert.deepEqual(all.claims, resolved.flatMap((r) => r.claims));
  const keys = [...new Set(resolved.flatMap((r) => r.specs.map((s) => s.key)))];
  assert.deepEqual(all.specs.map((s) => s.key), keys);
  assert.ok(keys.length < resolved.reduce((n, r) => n + r.specs.length, 0), 'hierarchy and learned-flagship share episodes');
});

test('a suite with include and episodes of its own is a part too, after the parts it includes', async () => {
  const { dir } = composite();
  const suite = join(dir, 'own.yaml');
  writeFileSync(
    suite,
    'name: own\ninclude: [parts/a.yaml]\nseeds: [5]\nscenarios: [{ sim: reach-v1, options: { maxSteps: 11 } }]\nplanners: [{ name: zero }, { name: random }]\nclaims: [{ name: own-claim, a: { scenario: 0, planner: 0 }, b: { scenario: 0, planner: 1 }, expect: beats }]\n',
  );
  const { specs, claims, choice } = await resolveSuite(suite);
  assert.deepEqual(specs.map((s) => `${s.planner}/${s.seed}/${s.scenarioOptions.maxSteps}`), ['random/0/10', 'random/1/10', 'zero/0/10', 'zero/1/10', 'zero/5/11', 'random/5/11']);
  assert.deepEqual(claims.map((c) => c.name), ['random-beats-zero', 'own-claim']);
  // Each episode sets up with its own part's entries.
  assert.deepEqual(specs.map((s) => `${choice(s).planner.name}/${choice(s).scenarioOptions.maxSteps}`), specs.map((s) => `${s.planner}/${s.scenarioOptions.maxSteps}`));
});
