// `itinera describe` and what an unknown name or key says: read from the plug-ins' own schemas.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const BIN = join(import.meta.dirname, '..', 'packages', 'cli', 'bin', 'itinera.js');

function itinera(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The table row of one option (the last table: a preset's "sets:" lines come first): key, type, default, range, description. */
function row(stdout: string, key: string): string[] {
  const line = stdout.split('\n').filter((l) => l.trimStart().startsWith(`${key} `)).at(-1);
  assert.ok(line, `no row for ${key} in\n${stdout}`);
  return line.trim().split(/\s{2,}/);
}

test('describe planner mppi lists every option with type, default, range and meaning', () => {
  const r = itinera('describe', 'planner', 'mppi');
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(row(r.stdout, 'samples'), ['samples', 'integer', '64', '[1, 100000]', 'Action sequences evaluated per iteration.']);
  assert.deepEqual(row(r.stdout, 'horizon').slice(0, 4), ['horizon', 'integer', '25', '[1, 1000]']);
  assert.deepEqual(row(r.stdout, 'temperature').slice(0, 4), ['temperature', 'number', '0.3', '> 0']);
  assert.deepEqual(row(r.stdout, 'interpolation').slice(0, 3), ['interpolation', 'zoh|linear|spline', 'spline']);
  assert.deepEqual(row(r.stdout, 'budget').slice(0, 3), ['budget', 'integer', '(unset)']);
});

test('describe shows a preset: its planner, what it sets, and the options with its values', () => {
  const r = itinera('describe', 'planner', 'push-mppi');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^preset push-mppi .*push-mppi\.yaml/);
  assert.match(r.stdout, /planner: mppi/);
  assert.match(r.stdout, /samples = 32/);
  assert.match(r.stdout, /model\.physicsDt = 0\.01/);
  assert.equal(row(r.stdout, 'samples')[2], '32', "the preset's value is the default it runs with");
  assert.equal(row(r.stdout, 'temperature')[2], '0.3');
});

test('describe sim lists its --sim-opt options and default robot and planner', () => {
  const r = itinera('describe', 'sim', 'reach-v1');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /sim reach-v1/);
  assert.match(r.stdout, /default robot: reacher/);
  assert.match(r.stdout, /default planner: mppi/);
  assert.deepEqual(row(r.stdout, 'tolerance').slice(0, 4), ['tolerance', 'number', '0.05', '> 0']);
  assert.deepEqual(row(r.stdout, 'distractors').slice(0, 4), ['distractors', 'integer', '0', '[0, 1024]']);
});

test('describe robot lists joints, actuators with limits, links, end effector and sensors', () => {
  const r = itinera('describe', 'robot', 'reacher');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /end effector: fingertip/);
  assert.match(r.stdout, /elbow\s+revolute\s+upper_arm → forearm\s+\[0, 0, 1\]\s+\[-2\.6, 2\.6\]/);
  assert.match(r.stdout, /shoulder\s+shoulder\s+±3 N·m/);
  assert.match(r.stdout, /upper_arm\s+0\.4 kg/);
  const rover = itinera('describe', 'robot', 'rover');
  assert.equal(rover.code, 0, rover.stderr);
  assert.match(rover.stdout, /rays: \d+ on /);
});

test('an unknown option key names the valid keys and the closest one', () => {
  const r = itinera('run', '--sim', 'reach-v1', '--planner', 'mppi', '--opt', 'samles=8');
  assert.equal(r.code, 1);
  assert.equal(r.stderr, "itinera: --opt (mppi): unknown key 'samles'; did you mean 'samples'? (valid keys: horizon, samples, iterations, budget, knots, interpolation, noise, warmStart, temperature)\n");
  const sim = itinera('run', '--sim', 'reach-v1', '--planner', 'zero', '--sim-opt', 'nonsense=1');
  assert.equal(sim.code, 1);
  assert.match(sim.stderr, /^itinera: --sim-opt \(reach-v1\): unknown key 'nonsense' \(valid keys: tolerance, settleSpeed, maxSteps, /);
});

test('unknown planner, preset, sim and robot names suggest the closest, presets included', () => {
  const cases: Array<[string[], RegExp]> = [
    [['run', '--planner', 'push-mpi'], /^itinera: unknown planner 'push-mpi'; did you mean 'push-mppi'\? \(planners: .*mppi.*; presets: .*rover-hierarchical.*\)\n$/],
    [['describe', 'planner', 'mpi'], /^itinera: unknown planner 'mpi'; did you mean 'mppi'\?/],
    [['run', '--sim', 'rech'], /^itinera: unknown sim 'rech'; did you mean 'reach'\?/],
    [['describe', 'robot', 'rovr'], /^itinera: unknown robot 'rovr'; did you mean 'rover'\?/],
    [['run', '--planner', 'teleport'], /^itinera: unknown planner 'teleport' \(planners: /],
  ];
  for (const [args, expected] of cases) {
    const r = itinera(...args);
    assert.equal(r.code, 1, args.join(' '));
    assert.match(r.stderr, expected);
  }
});
