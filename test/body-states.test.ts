// The world reads each robot body's state from Rapier once per step and shares it: every change of state
// (a step, a push, a restore) must be seen by the next read, never a value cached before it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initPhysics, PhysicsWorld } from '@itinera/physics';
import { loadBuiltinRobot } from '@itinera/robots';

await initPhysics();
const EMPTY = { ground: true, bodies: [], regions: [] };

test('state reads follow a push and a restore at once, without a step between', () => {
  const robot = loadBuiltinRobot('ant');
  const world = PhysicsWorld.create(robot, EMPTY);
  const torques = robot.actuators.map((a, k) => (k % 2 ? -0.5 : 0.5) * a.limit);
  for (let i = 0; i < 10; i++) {
    world.applyActuators(torques);
    world.step();
  }
  const snap = world.snapshot();
  const atSnapshot = Array.from(world.sense());
  const speed = world.baseVelocity()[1];
  world.pushBase([0, 50, 0]);
  assert.ok(world.baseVelocity()[1] > speed + 1, `a push shows in the base velocity at once (vy ${speed} → ${world.baseVelocity()[1]})`);
  world.step();
  const moved = Array.from(world.sense());
  assert.notDeepEqual(moved, atSnapshot);
  world.restore(snap);
  assert.deepEqual(Array.from(world.sense()), atSnapshot, 'a restore shows in every reading at once');
  world.free();
});

test('joint angles, joint speeds and the end effector follow every step and restore of a fixed-base arm', () => {
  const reacher = loadBuiltinRobot('reacher');
  const robot = { ...reacher, initialJoints: Object.fromEntries(reacher.joints.filter((j) => j.type !== 'fixed').map((j) => [j.name, 0.4])) };
  const world = PhysicsWorld.create(robot, EMPTY);
  const read = () => [...world.jointPositions(), ...world.jointVelocities(), ...world.endEffectorPosition()];
  const start = world.snapshot();
  const atStart = read();
  assert.ok(Math.abs(world.jointPositions()[0] - 0.4) < 1e-6, `the placed arm reads its initial angle (${world.jointPositions()[0]})`);
  const torques = robot.actuators.map((a) => 0.8 * a.limit);
  const seen: number[][] = [];
  for (let i = 0; i < 5; i++) {
    world.applyActuators(torques);
    world.step();
    seen.push(read());
    assert.notDeepEqual(seen[i], i === 0 ? atStart : seen[i - 1], `step ${i + 1} changes what is read`);
  }
  world.restore(start);
  assert.deepEqual(read(), atStart, 'a restore shows in the derived readings at once');
  // The same states read from a world that never cached them.
  const fresh = PhysicsWorld.create(robot, EMPTY);
  fresh.restore(start);
  assert.deepEqual([...fresh.jointPositions(), ...fresh.jointVelocities(), ...fresh.endEffectorPosition()], atStart);
  world.free();
  fresh.free();
});
