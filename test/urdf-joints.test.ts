// Joint tags of ROS robots, simulated: <mimic> couples, <dynamics friction> holds, <limit velocity> caps speed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadUrdfFile } from '@itinera/robots';
import { initPhysics, PhysicsWorld } from '@itinera/physics';

await initPhysics();
const JOINTS = join(import.meta.dirname, 'fixtures', 'urdf', 'joints.urdf');
const EMPTY = { ground: false, bodies: [], regions: [] };

test('mimic, friction and velocity are read; transmission, gazebo and ros2_control pass without a word', () => {
  const { robot, warnings } = loadUrdfFile(JOINTS);
  assert.deepEqual(warnings, []);
  const byName = new Map(robot.joints.map((j) => [j.name, j]));
  assert.deepEqual(byName.get('follower')!.mimic, { joint: 'leader', multiplier: -0.5, offset: 0.1 });
  assert.equal(byName.get('sticky')!.friction, 0.5);
  assert.equal(byName.get('slow')!.velocity, 0.5);
  // A mimic joint has no actuator: its leader drives it.
  assert.deepEqual(robot.actuators.map((a) => a.name), ['leader', 'sticky', 'slow']);
});

test('simulated: the follower tracks its leader, friction beats a weaker push, speed stops at the limit', () => {
  const { robot } = loadUrdfFile(JOINTS);
  const world = PhysicsWorld.create(robot, EMPTY);
  try {
    const index = (name: string) => robot.joints.filter((j) => j.type !== 'fixed').findIndex((j) => j.name === name);
    let fastest = 0;
    for (let step = 0; step < 40; step++) {
      // Leader pushed gently toward +0.6 rad; sticky at full effort (0.2 < friction 0.5); slow at full effort.
      const q = world.jointPositions();
      world.applyActuators([Math.max(-2, Math.min(2, 5 * (0.6 - q[index('leader')]) - 0.5 * world.jointVelocities()[index('leader')])), 0.2, 1]);
      world.step();
      fastest = Math.max(fastest, Math.abs(world.jointVelocities()[index('slow')]));
    }
    const q = world.jointPositions();
    assert.ok(Math.abs(q[index('leader')]) > 0.3, `the leader moved (${q[index('leader')]})`);
    assert.ok(Math.abs(q[index('follower')] - (-0.5 * q[index('leader')] + 0.1)) < 0.02, `follower ${q[index('follower')]} vs leader ${q[index('leader')]}`);
    assert.ok(Math.abs(q[index('sticky')]) < 0.01, `friction holds the sticky joint (${q[index('sticky')]})`);
    // Unlimited, 1 N·m on 0.06 kg·m² would reach 13 rad/s in 0.8 s; the limit stops the push at 0.5 rad/s.
    assert.ok(fastest < 0.6 && fastest > 0.4, `slow joint peaked at ${fastest} rad/s`);
  } finally {
    world.free();
  }
});

test('URDF: a joint whose limits exclude 0 (a Panda elbow) starts at the middle of its range, in one warning', () => {
  const arm = readFileSync(join(import.meta.dirname, 'fixtures', 'urdf', 'spatial-arm.urdf'), 'utf8').replace('lower="-2.2" upper="0"', 'lower="-2.2" upper="-0.2"');
  const dir = mkdtempSync(join(tmpdir(), 'itinera-start-'));
  try {
    writeFileSync(join(dir, 'arm.urdf'), arm);
    const { robot, warnings } = loadUrdfFile(join(dir, 'arm.urdf'));
    assert.ok(Math.abs(robot.initialJoints!.elbow - -1.2) < 1e-12, `${JSON.stringify(robot.initialJoints)}`);
    assert.deepEqual(Object.keys(robot.initialJoints!), ['elbow']);
    assert.equal(warnings.filter((w) => /limits exclude 0/.test(w)).length, 1);
    assert.match(warnings.join('\n'), /a joint whose limits exclude 0 starts at the middle of its range \(initialJoints\): elbow at -1\.200 \(line 32\)/);
    assert.equal(loadUrdfFile(join(import.meta.dirname, 'fixtures', 'urdf', 'spatial-arm.urdf')).robot.initialJoints, undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
