// The physics the commute scenario relies on: kinematic bodies steered per control step (the elevator car carries
// what stands on it), snapshots replay them, walkable floors are no obstacle, and a push reaches the rover.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SceneSpec } from '@itinera/core';
import { initPhysics, PhysicsWorld } from '@itinera/physics';
import { loadBuiltinRobot } from '@itinera/robots';

await initPhysics();
const rover = loadBuiltinRobot('rover');
const box = (size: [number, number, number]) => [{ shape: { type: 'box' as const, size }, origin: { xyz: [0, 0, 0] as [number, number, number], rpy: [0, 0, 0] as [number, number, number] } }];

/** A floor slab under the rover (walkable or not) and a kinematic platform beside it with a crate on top. */
function scene(walkable: boolean): SceneSpec {
  return {
    ground: false,
    bodies: [
      { name: 'floor', pose: { xyz: [0, 0, -0.05], rpy: [0, 0, 0] }, geoms: box([2, 2, 0.1]), ...(walkable && { walkable }) },
      { name: 'platform', kinematic: true, pose: { xyz: [3, 0, -0.05], rpy: [0, 0, 0] }, geoms: box([1, 1, 0.1]) },
      { name: 'crate', mass: 1, pose: { xyz: [3, 0, 0.1], rpy: [0, 0, 0] }, geoms: box([0.2, 0.2, 0.2]) },
    ],
    regions: [],
  } as SceneSpec;
}

function liftOneSecond(world: PhysicsWorld): number[] {
  const heights: number[] = [];
  for (let k = 1; k <= 50; k++) {
    world.setKinematicTarget('platform', [3, 0, -0.05 + 0.4 * (k / 50)]);
    world.applyActuators([0, 0, 0]);
    world.step();
    heights.push(world.bodyPosition('platform')[2], world.bodyPosition('crate')[2]);
  }
  return heights;
}

test('a kinematic platform reaches each control-step target and carries what stands on it; snapshots replay it', () => {
  const world = PhysicsWorld.create(rover, scene(true));
  for (let i = 0; i < 25; i++) world.step();
  const snap = world.snapshot();
  const first = liftOneSecond(world);
  assert.ok(Math.abs(world.bodyPosition('platform')[2] - 0.35) < 1e-6, `platform at ${world.bodyPosition('platform')[2]}`);
  assert.ok(Math.abs(world.bodyPosition('crate')[2] - 0.5) < 0.02, `the crate rode up: ${world.bodyPosition('crate')[2]}`);
  world.restore(snap);
  assert.deepEqual(liftOneSecond(world), first);
  world.setKinematicTarget('platform', [5, 0, 0], undefined, true);
  assert.deepEqual(world.bodyPosition('platform'), [5, 0, 0], 'teleport puts it there at once');
  world.free();
});

test('a walkable floor is no obstacle for the collision guardrail; an ordinary slab is', () => {
  for (const walkable of [true, false]) {
    const world = PhysicsWorld.create(rover, scene(walkable));
    for (let i = 0; i < 25; i++) world.step();
    assert.equal(world.obstacleContacts() > 0, !walkable, walkable ? 'walkable' : 'not walkable');
    world.free();
  }
});

test('pushBase moves the rover sideways at once', () => {
  const world = PhysicsWorld.create(rover, scene(true));
  for (let i = 0; i < 25; i++) world.step();
  world.pushBase([0, 20, 0]);
  world.step();
  assert.ok(world.baseVelocity()[1] > 1, `vy ${world.baseVelocity()[1]}`);
  assert.throws(() => world.setKinematicTarget('floor', [0, 0, 0]), /not kinematic/);
  world.free();
});
