import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RobotSpec } from '@itinera/core';
import { builtinRobotNames, loadBuiltinRobot, loadRobotModule, loadUrdfFile } from '@itinera/robots';
import { checkRobot } from '@itinera/physics';

const EXAMPLES = join(import.meta.dirname, '..', 'configs', 'robots', 'examples');
const ARM_URDF = join(EXAMPLES, 'telescope-arm.urdf');
const BIN = join(import.meta.dirname, '..', 'packages', 'cli', 'bin', 'itinera.js');
const arm = () => loadUrdfFile(ARM_URDF).robot;

for (const name of builtinRobotNames()) {
  test(`built-in robot '${name}' passes checkRobot`, async () => {
    assert.deepEqual(await checkRobot(loadBuiltinRobot(name)), []);
  });
}

test('the example arms (URDF and module) pass checkRobot', async () => {
  assert.deepEqual(await checkRobot(arm()), []);
  assert.deepEqual(await checkRobot(await loadRobotModule(join(EXAMPLES, 'planar-arm.ts'))), []);
});

test('an actuator whose joint cannot move is reported', async () => {
  const robot = arm();
  const locked: RobotSpec = { ...robot, joints: robot.joints.map((j) => (j.name === 'extend' ? { ...j, limit: { lower: 0, upper: 0 } } : j)) };
  const problems = await checkRobot(locked);
  assert.equal(problems.length, 1, problems.join('\n'));
  assert.match(problems[0], /^robot 'telescope-arm': actuator 'extend' does not move joint 'extend': full force \(±5\) for 0\.25 s moves it .* m \(less than 0\.001\)$/);
});

test('a robot that blows up is reported, under random torques and under each push', async () => {
  const robot = arm();
  const wild: RobotSpec = { ...robot, actuators: robot.actuators.map((a) => (a.name === 'shoulder' ? { ...a, limit: 1e5 } : a)) };
  const problems = await checkRobot(wild);
  assert.equal(problems.length, 2, problems.join('\n'));
  assert.match(problems[0], /^robot 'telescope-arm': with random torques diverges after \d\.\d\d s \(a non-finite state or a body above 100 m\/s or 400 rad\/s\)$/);
  assert.match(problems[1], /^robot 'telescope-arm': pushing actuator 'shoulder' alone with full torque \(±100000\) for 0\.25 s, the robot diverges after/);
});

test('check-robot --simulate prints the result and exits 1 on problems', () => {
  const ok = spawnSync(process.execPath, [BIN, 'check-robot', '--simulate', ARM_URDF], { encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /robot 'telescope-arm' is valid/);
  assert.match(ok.stdout, /simulation passed: finite and within the energy bound under zero and random torques; every actuator moves its joint/);

  const dir = mkdtempSync(join(tmpdir(), 'itinera-check-'));
  const file = join(dir, 'stuck-arm.urdf');
  writeFileSync(file, readFileSync(ARM_URDF, 'utf8').replace('lower="-0.1" upper="0.15"', 'lower="0" upper="0"'));
  const bad = spawnSync(process.execPath, [BIN, 'check-robot', file, '--simulate'], { encoding: 'utf8' });
  assert.equal(bad.status, 1);
  assert.match(bad.stdout, /simulation FAILED: 1 problem/);
  assert.match(bad.stderr, new RegExp(`^itinera: ${file}: simulate: robot 'telescope-arm': actuator 'extend' does not move joint 'extend'`));
  assert.equal(bad.stderr.trim().split('\n').length, 1);
  assert.doesNotMatch(bad.stderr, /\n\s+at /, 'no stack trace');
});
