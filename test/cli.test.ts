import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const BIN = join(import.meta.dirname, '..', 'packages', 'cli', 'bin', 'itinera.js');

function itinera(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('run --json prints exactly one JSON summary with the documented fields', () => {
  const r = itinera('run', '--sim', 'reach-v1', '--robot', 'reacher', '--planner', 'random', '--episodes', '3', '--seed', '5', '--json');
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 1);
  const s = JSON.parse(lines[0]);
  for (const key of ['scenario', 'robot', 'planner', 'model', 'backend', 'levels', 'successRate', 'episodes']) assert.ok(key in s, key);
  assert.equal(s.backend, 'none', 'no learned model ran');
  assert.equal(s.scenario, 'reach-v1');
  assert.equal(s.robot, 'reacher');
  assert.equal(s.planner, 'random');
  assert.equal(s.episodes.length, 3);
  assert.deepEqual(s.episodes.map((e: { seed: number }) => e.seed), [5, 6, 7]);
  for (const e of s.episodes) {
    for (const key of ['seed', 'success', 'steps', 'simTime', 'wallMs', 'planMs', 'replans', 'replansByLevel', 'failure', 'subgoals']) assert.ok(key in e, key);
    assert.ok(e.steps > 0);
    assert.ok(e.planMs.p50 <= e.planMs.p95 && typeof e.planMs.mean === 'number');
    // Reach's control step is 0.02 s: simulated time is exactly steps × 0.02, with no float noise.
    assert.equal(e.simTime, Number((e.steps * 0.02).toFixed(2)));
    // Random replans every control step: every step after the start plan is a level-0 replan.
    assert.deepEqual(e.replansByLevel, { 0: e.steps - 1 });
    assert.equal(e.replans, e.steps - 1);
  }
  assert.match(r.stderr, /episode 3\/3/, 'progress goes to stderr');
});

test('run is deterministic: the same seed gives the same episodes and the same recording', () => {
  const dir = mkdtempSync(join(tmpdir(), 'itinera-'));
  const run = (file: string) => itinera('run', '--sim', 'reach-v1', '--planner', 'random', '--episodes', '2', '--seed', '11', '--json', '--record', join(dir, file));
  const a = JSON.parse(run('a.jsonl').stdout);
  const b = JSON.parse(run('b.jsonl').stdout);
  const strip = (s: { episodes: Array<Record<string, unknown>> }) => s.episodes.map(({ wallMs, planMs, ...rest }) => rest);
  assert.deepEqual(strip(a), strip(b));
  const events = (f: string) =>
    readFileSync(join(dir, f), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((e) => e.type !== 'plan');
  const ea = events('a.jsonl');
  assert.deepEqual(ea, events('b.jsonl'));
  assert.equal(ea[0].type, 'reset');
  assert.equal(ea.filter((e) => e.type === 'done').length, 2);
});

test('run without a scenario or planner runs the flagship: commute-v1, the rover, the hierarchical planner, its task tree live on stderr', () => {
  // Cut short (a whole commute takes minutes): the defaults are what is checked, not the outcome.
  const r = itinera('run', '--sim-opt', 'maxSteps=150');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /commute-v1 · robot rover · planner rover-hierarchical/);
  assert.match(r.stdout, /success rate/);
  assert.match(r.stderr, /▶ commute[\s\S]*▶ leave-office/);
});

test('list names the built-in robots, sims and planners', () => {
  assert.match(itinera('list', 'robots').stdout, /reacher[\s\S]*rover|rover[\s\S]*reacher/);
  assert.match(itinera('list', 'robots').stdout, /ant/);
  assert.match(itinera('list', 'sims').stdout, /reach-v1/);
  const planners = itinera('list', 'planners').stdout;
  assert.match(planners, /zero/);
  assert.match(planners, /random/);
});

test('check-robot prints a summary of a valid robot', () => {
  const r = itinera('check-robot', join(import.meta.dirname, '..', 'configs', 'robots', 'ant.yaml'));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /robot 'ant' is valid/);
  assert.match(r.stdout, /actuators\s+8/);
  assert.match(r.stdout, /dof\s+14/);
});

test('check-robot on a broken file exits 1 with readable lines naming file and element, no stack trace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'itinera-'));
  const file = join(dir, 'bad.yaml');
  const good = readFileSync(join(import.meta.dirname, '..', 'configs', 'robots', 'reacher.yaml'), 'utf8');
  writeFileSync(file, good.replace(/mass: [0-9.]+/, 'mass: -2'));
  const r = itinera('check-robot', file);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /bad\.yaml/);
  assert.match(r.stderr, /mass/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
});

test('bad arguments end with one clear line and a non-zero exit code', () => {
  for (const args of [
    ['run', '--sim', 'nowhere'],
    ['run', '--planner', 'teleport'],
    ['run', '--robot', 'nobody'],
    ['run', '--episodes', '0'],
    ['run', '--sim', 'reach-v1', '--sim-opt', 'tolerance=-1'],
    ['run', '--planner', 'random', '--opt', 'scale=7'],
    ['run', '--planner', 'mppi', '--opt', 'bogus=1'],
    ['run', '--no-such-flag'],
    ['frobnicate'],
  ]) {
    const r = itinera(...args);
    assert.equal(r.code, 1, `${args.join(' ')} exited ${r.code}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /^itinera: /);
  }
});

test('each scenario runs with its own default planner; --planner overrides it', () => {
  for (const [sim, planner] of [['reach-v1', 'mppi'], ['push', 'push-mppi'], ['ant-goto', 'ant-mppi']]) {
    const r = itinera('run', '--sim', sim, '--sim-opt', 'maxSteps=3', '--opt', 'samples=4');
    assert.equal(r.code, 0, `${sim}: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`planner ${planner} `), sim);
  }
  const overridden = itinera('run', '--sim', 'reach-v1', '--planner', 'zero', '--sim-opt', 'maxSteps=3');
  assert.match(overridden.stdout, /planner zero /);
});

test('--version prints the version and exits 0', () => {
  const r = itinera('--version');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^\d+\.\d+\.\d+\n$/);
});

test('yargs misuse (unknown command, unknown argument, a bad choice) ends with one line and exit 1', () => {
  for (const args of [['frobnicate'], ['list', 'foo'], ['run', '--bogus'], ['describe', 'thing', 'x'], []]) {
    const r = itinera(...args);
    assert.equal(r.code, 1, args.join(' '));
    assert.match(r.stderr, /^itinera: [^\n]+\n$/, `${args.join(' ')}: ${r.stderr}`);
  }
});

test('bench merge --help shows merge\'s options only', () => {
  const r = itinera('bench', 'merge', '--help');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /--out/);
  for (const flag of ['--suite', '--shard', '--workers', '--queue', '--resume']) assert.doesNotMatch(r.stdout, new RegExp(`^\\s+${flag}\\b`, 'm'), flag);
  assert.match(itinera('bench', '--help').stdout, /--shard\s+i\/N, 1 ≤ i ≤ N/);
});

test('integer options name what was typed: not a number, not an integer, out of range', () => {
  const cases: Array<[string[], string]> = [
    [['run', '--episodes', 'abc'], "itinera: --episodes must be a positive integer: 'abc' is not a number\n"],
    [['run', '--episodes', '1.5'], 'itinera: --episodes must be a positive integer (got 1.5)\n'],
    [['collect', '--steps', 'x', '--out', 'nowhere'], "itinera: --steps must be a positive integer: 'x' is not a number\n"],
  ];
  for (const [args, stderr] of cases) {
    const r = itinera(...args);
    assert.equal(r.code, 1, args.join(' '));
    assert.equal(r.stderr, stderr);
  }
});

test('seeds stay within the seeded generator\'s range instead of aliasing or rounding', () => {
  for (const seed of ['4294967296', '9007199254740993', '-1']) {
    const r = itinera('run', '--sim', 'reach-v1', '--planner', 'zero', '--seed', seed);
    assert.equal(r.code, 1, seed);
    assert.equal(r.stderr, `itinera: --seed must be an integer from 0 to 4294967295 (got ${seed})\n`);
  }
  const past = itinera('run', '--sim', 'reach-v1', '--planner', 'zero', '--seed', '4294967295', '--episodes', '2');
  assert.equal(past.code, 1);
  assert.match(past.stderr, /^itinera: --seed 4294967295 with --episodes 2 runs seeds past 4294967295/);
  const top = itinera('run', '--sim', 'reach-v1', '--planner', 'zero', '--seed', '4294967295', '--sim-opt', 'maxSteps=2', '--json');
  assert.equal(top.code, 0, top.stderr);
  assert.equal(JSON.parse(top.stdout).episodes[0].seed, 4294967295);
});

test('--shard counts from 1 and a bad slice is one line before any suite is read', () => {
  const r = itinera('bench', '--suite', 'no-such-suite.yaml', '--out', join(tmpdir(), 'unused'), '--shard', '0/4');
  assert.equal(r.code, 1);
  assert.equal(r.stderr, "itinera: --shard must be i/N with 1 ≤ i ≤ N, e.g. 1/4 (got '0/4')\n");
});

test('the flagship run plans on learned models at every level below the task tree, and reports what each level planned on', () => {
  const r = itinera('run', '--sim-opt', 'maxSteps=3', '--json');
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.equal(s.planner, 'rover-hierarchical-learned');
  assert.match(s.model, /rover-level0-commute \+ level 1: learned/);
  assert.match(s.backend, /^(wasm|node|node-gpu|cpu)/);
  const [level1, level0] = [s.levels[1].model, s.levels[2].model];
  assert.match(level1, /^learned \(.*level1\.json\)$/);
  assert.match(level0, /models[\\/]rover-level0-commute$/);
  assert.deepEqual(s.levels, [
    { level: 2, planner: 'task tree', model: 'commute-v1', kind: 'analytic', backend: 'typescript' },
    { level: 1, planner: 'waypoints (cem)', model: level1, kind: 'learned', backend: 'typescript' },
    { level: 0, planner: 'mppi', model: level0, kind: 'learned', backend: s.backend },
  ]);
  const sim = JSON.parse(itinera('run', '--sim-opt', 'maxSteps=3', '--model', 'sim', '--json').stdout);
  assert.equal(sim.backend, 'none');
  assert.deepEqual(sim.levels.map((l: { level: number; model: string; kind: string }) => [l.level, l.model, l.kind]), [[2, 'commute-v1', 'analytic'], [1, 'kinematic', 'analytic'], [0, 'sim', 'simulator']]);
  const flat = itinera('run', '--sim', 'reach-v1', '--planner', 'zero', '--sim-opt', 'maxSteps=2');
  assert.equal(flat.code, 0, flat.stderr);
  assert.match(flat.stdout, /^  level 0: zero on none \(analytic, none\)$/m, 'the human-readable summary prints each level on a line');
});

test('itinera --help loads no heavy dependency (physics, tfjs, bullmq, ioredis, esbuild, viewer)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'itinera-'));
  const log = join(dir, 'loaded.txt');
  writeFileSync(join(dir, 'hooks.mjs'), `import { appendFileSync } from 'node:fs';\nexport async function resolve(s, c, next) { const r = await next(s, c); appendFileSync(${JSON.stringify(log)}, r.url + '\\n'); return r; }\n`);
  writeFileSync(join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});\n`);
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(join(dir, 'register.mjs')).href, BIN, '--help'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /itinera describe/);
  const loaded = readFileSync(log, 'utf8');
  assert.match(loaded, /yargs/);
  for (const heavy of ['@tensorflow', 'rapier', 'bullmq', 'ioredis', 'esbuild', 'onnxruntime', 'packages/physics', 'packages/world-model', 'packages/viewer', 'packages/mpc', 'packages/hierarchy']) {
    assert.ok(!loaded.includes(heavy), `--help loaded ${heavy}`);
  }
});
