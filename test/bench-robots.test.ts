// Suite robot entries with the load options `itinera run` takes (`{ robot, fixedBase, endEffector, packagePath }`):
// parsed, told apart in keys and reports, applied to the episodes on every path (threads, shards); strings keep their keys.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson, parseSuite, robotLabel, runBenchEpisode, type EpisodeRig } from '@itinera/bench';
import { isItineraError } from '@itinera/core';
import { resolveSuite } from '@itinera/cli/commands/bench';
import { benchRecords as records, byKey } from './bench-results.js';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'packages', 'cli', 'bin', 'itinera.js');
/** A floating base in its file: no world link, the root link 0.3 m up; tool0 is a frame to reach with. */
const FRAMES = 'test/fixtures/urdf/frames.urdf';
const FRAMES_ABSOLUTE = join(ROOT, FRAMES);

function itinera(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tempDir = () => mkdtempSync(join(tmpdir(), 'itinera-bench-robots-'));

/** reach-v2 with frames.urdf as its file says (floating) and welded, both reaching with tool0. */
function weldedSuite(dir: string, robot: string, seeds = '[0]'): string {
  const suite = join(dir, 'welded.yaml');
  writeFileSync(
    suite,
    [
      'name: welded',
      `seeds: ${seeds}`,
      'scenarios: [{ sim: reach-v2, options: { maxSteps: 30 } }]',
      'robots:',
      `  - { robot: ${robot}, endEffector: tool0 }`,
      `  - { robot: ${robot}, endEffector: tool0, fixedBase: true }`,
      'planners: [{ name: zero }]',
      'claims: [{ name: welded-not-worse, a: { scenario: 0, planner: 0, robot: 1 }, b: { scenario: 0, planner: 0, robot: 0 }, expect: not-worse }]',
      '',
    ].join('\n'),
  );
  return suite;
}

test('a robot entry may be an object with load options; strings read as `{ robot }`; each entry has its own label', async () => {
  const suite = parseSuite(
    [
      'name: s',
      'seeds: 1',
      'scenarios: [{ sim: reach-v1 }]',
      'planners: [{ name: zero }]',
      'robots:',
      '  - default',
      '  - reacher',
      '  - { robot: default, fixedBase: true }',
      '  - { robot: arm.urdf, fixedBase: true, endEffector: tool0 }',
      '  - { robot: arm.urdf, fixedBase: false }',
      '  - { robot: arm.urdf, packagePath: [meshes, more] }',
      '',
    ].join('\n'),
    's.yaml',
  );
  assert.deepEqual(suite.robots.slice(0, 4), [{ robot: 'default' }, { robot: 'reacher' }, { robot: 'default', fixedBase: true }, { robot: 'arm.urdf', fixedBase: true, endEffector: 'tool0' }]);
  assert.deepEqual(suite.robots.map((r) => robotLabel(r)), [
    'default',
    'reacher',
    'default (fixedBase)',
    'arm.urdf (fixedBase, endEffector=tool0)',
    'arm.urdf (floatingBase)',
    'arm.urdf (packagePath=meshes:more)',
  ]);
  // 'default' is labelled by the scenario's own robot.
  assert.equal(robotLabel(suite.robots[2], 'reacher'), 'reacher (fixedBase)');
  assert.deepEqual(parseSuite('name: s\nseeds: 1\nscenarios: [{ sim: reach-v1 }]\nplanners: [{ name: zero }]\n', 's.yaml').robots, [{ robot: 'default' }]);

  // Resolved, 'default' with options is the scenario's own robot with them applied.
  const file = join(tempDir(), 'default.yaml');
  writeFileSync(file, 'name: s\nseeds: 1\nscenarios: [{ sim: reach-v1 }]\nplanners: [{ name: zero }]\nrobots: [default, { robot: default, fixedBase: false }]\n');
  const { specs, choice } = await resolveSuite(file);
  assert.deepEqual(specs.map((s) => [s.robot, choice(s).robot.base.fixed]), [['reacher', true], ['reacher (floatingBase)', false]]);
});

test('string robots keep their results keys and episode specs, so --resume finds the results of older runs', async () => {
  const dir = tempDir();
  const write = (name: string, robots: string) => {
    const file = join(dir, `${name}.yaml`);
    writeFileSync(file, `name: keys\nseeds: [0, 3]\nscenarios: [{ sim: reach-v1, options: { maxSteps: 10 } }]\nrobots: ${robots}\nplanners: [{ name: zero }]\n`);
    return file;
  };
  const strings = await resolveSuite(write('strings', '[reacher]'));
  // The key as it was before robot entries had options: names, a hash of both configs, the seed.
  const [first] = strings.specs;
  const hash = createHash('sha256').update(canonicalJson([first.scenarioOptions, first.plannerConfig])).digest('hex').slice(0, 10);
  assert.deepEqual(strings.specs.map((s) => s.key), [`reach-v1/reacher/zero/${hash}/seed-0`, `reach-v1/reacher/zero/${hash}/seed-3`]);
  // No new fields: the suite hash an older output directory holds stays the same.
  assert.deepEqual(Object.keys(first).sort(), ['key', 'planner', 'plannerConfig', 'plannerIndex', 'robot', 'scenario', 'scenarioIndex', 'scenarioOptions', 'seed']);
  const objects = await resolveSuite(write('objects', '[{ robot: reacher }]'));
  assert.deepEqual(objects.specs, strings.specs, 'an entry without options is its string');

  // Results of the string suite resume under the object one: nothing runs again.
  const out = join(dir, 'out');
  assert.equal(itinera('bench', '--suite', join(dir, 'strings.yaml'), '--out', out).code, 0);
  const resumed = itinera('bench', '--suite', join(dir, 'objects.yaml'), '--out', out, '--resume');
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stderr, /resuming: 2 of 2 episodes already done/);
  assert.equal(records(out).length, 2);
});

test('fixedBase welds a floating-base URDF in the bench episode: its base stays put, the floating one falls', async () => {
  const { specs, choice, setUp, claims } = await resolveSuite(weldedSuite(tempDir(), FRAMES_ABSOLUTE));
  assert.deepEqual(specs.map((s) => s.robot), [`${FRAMES_ABSOLUTE} (endEffector=tool0)`, `${FRAMES_ABSOLUTE} (fixedBase, endEffector=tool0)`]);
  assert.notEqual(specs[0].key, specs[1].key);
  assert.deepEqual(specs.map((s) => choice(s).robot.base.fixed), [false, true]);
  assert.deepEqual(specs.map((s) => choice(s).robot.endEffector?.link), ['arm', 'arm'], 'tool0 is a frame on the arm');
  assert.match(claims[0].statement, /\(fixedBase, endEffector=tool0\) · zero succeeds at least as often as .*\(endEffector=tool0\) · zero/);

  const heights: number[][] = [];
  for (const spec of specs) {
    const record = await runBenchEpisode(spec, async (s) => {
      const rig = await setUp(s);
      const world = (rig.env as EpisodeRig['env'] & { inner: { world: { basePosition(): number[] } } }).inner.world;
      const start = world.basePosition()[2];
      // The base's height after the episode, read before its world is freed.
      return { ...rig, free: () => (heights.push([start, world.basePosition()[2]]), rig.free()) };
    });
    assert.equal(record.robot, spec.robot);
    assert.equal(record.steps, 30);
  }
  const [[floatingStart, floatingEnd], [weldedStart, weldedEnd]] = heights;
  assert.ok(Math.abs(floatingStart - 0.3) < 1e-6 && Math.abs(weldedStart - 0.3) < 1e-6, `both start 0.3 m up: ${heights}`);
  assert.equal(weldedEnd, weldedStart, 'the welded base does not move');
  assert.ok(floatingEnd < floatingStart - 0.2, `the floating base falls: ${floatingEnd}`);
});

test('through the CLI: worker threads and shards carry the entries, the merged report has a row for each', () => {
  const dir = tempDir();
  // A path relative to the directory the CLI runs in, as for string entries.
  const suite = weldedSuite(dir, FRAMES, '[0, 1]');
  const whole = join(dir, 'whole');
  const r = itinera('bench', '--suite', suite, '--out', whole, '--workers', '2');
  assert.equal(r.code, 0, r.stderr);
  // Each worker thread loads the entries itself: the floating base falls and trips the speed guardrail, the welded one does not.
  const hits = (robot: string) => records(whole).filter((x) => x.robot === robot).map((x) => x.guardrailHits);
  assert.deepEqual(hits(`${FRAMES} (fixedBase, endEffector=tool0)`), [0, 0]);
  assert.ok(hits(`${FRAMES} (endEffector=tool0)`).every((n) => Number(n) > 0), String(hits(`${FRAMES} (endEffector=tool0)`)));

  const shards = ['1/2', '2/2'].map((shard, i) => {
    const out = join(dir, `shard-${i}`);
    const s = itinera('bench', '--suite', suite, '--out', out, '--shard', shard);
    assert.equal(s.code, 0, s.stderr);
    return out;
  });
  const merged = join(dir, 'merged');
  const m = itinera('bench', 'merge', ...shards, '--out', merged);
  assert.equal(m.code, 0, m.stderr);
  assert.deepEqual(byKey(records(merged)), byKey(records(whole)));
  const rows = m.stdout.split('\n').filter((line) => line.startsWith('| reach-v2 |'));
  assert.deepEqual(rows.map((line) => line.split(' | ')[1]), [`${FRAMES} (endEffector=tool0)`, `${FRAMES} (fixedBase, endEffector=tool0)`]);
  assert.match(m.stdout, /welded-not-worse/);
});

test('a bad robot entry is one line naming the suite file and the entry; a load option that does not fit the robot too', async () => {
  const dir = tempDir();
  const bad = join(dir, 'bad.yaml');
  writeFileSync(
    bad,
    `name: bad\nseeds: 1\nscenarios: [{ sim: reach-v2 }]\nplanners: [{ name: zero }]\nrobots:\n  - reacher\n  - { robot: ${FRAMES}, fixedbase: true }\n  - { robot: ${FRAMES}, fixedBase: yes }\n  - 42\n  - { fixedBase: true }\n  - { robot: ${FRAMES}, packagePath: meshes }\n`,
  );
  const r = itinera('bench', '--suite', bad, '--out', join(dir, 'out'));
  assert.equal(r.code, 1);
  assert.deepEqual(r.stderr.trim().split('\n'), [
    `itinera: ${bad}: robots.1: unknown key 'fixedbase' (valid keys: robot, fixedBase, endEffector, packagePath)`,
    `itinera: ${bad}: robots.2.fixedBase: expected true (a welded base, as --fixed-base) or false (a floating one, as --floating-base)`,
    `itinera: ${bad}: robots.3: expected a robot name or file, or { robot, fixedBase, endEffector, packagePath } (got number)`,
    `itinera: ${bad}: robots.4.robot: missing: 'default', a built-in name or a description file`,
    `itinera: ${bad}: robots.5.packagePath: expected a list of folders, as --package-path takes them (packagePath: [DIR, …])`,
  ]);

  writeFileSync(bad, `name: bad\nseeds: 1\nscenarios: [{ sim: reach-v2 }]\nplanners: [{ name: zero }]\nrobots: [{ robot: ${FRAMES_ABSOLUTE}, endEffector: paw }, { robot: ${FRAMES_ABSOLUTE}, fixedBase: true }]\n`);
  await assert.rejects(resolveSuite(bad), (e: unknown) => {
    assert.ok(isItineraError(e));
    assert.equal(e.problems.length, 2, e.message);
    assert.match(e.problems[0], new RegExp(`^${bad}: robots\\.0: --end-effector: robot 'frames' has no link or frame 'paw'`));
    assert.match(e.problems[1], new RegExp(`^${bad}: scenarios\\.0 × robots\\.1: reach-v2 needs an end effector`));
    return true;
  });
});
