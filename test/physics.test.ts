import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, type RobotSpec } from '@itinera/core';
import { createEnv, initPhysics, PhysicsWorld } from '@itinera/physics';
import { loadBuiltinRobot, builtinRobotNames } from '@itinera/robots';
import { reach } from '@itinera/sim-reach';
import { rooms } from '@itinera/sim-rooms';
import { checkEnv } from '@itinera/testkit';

const EMPTY = { ground: true, bodies: [], regions: [] };
await initPhysics();

function randomActions(robot: RobotSpec, n: number, seed: number): number[][] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => robot.actuators.map((a) => rng.uniform(-a.limit, a.limit)));
}

function trajectory(world: PhysicsWorld, actions: number[][]): number[] {
  const out: number[] = [];
  for (const a of actions) {
    world.applyActuators(a);
    world.step();
    out.push(...world.sense());
  }
  return out;
}

for (const name of builtinRobotNames()) {
  test(`${name}: snapshot → restore → same actions gives a bit-identical trajectory`, () => {
    const robot = loadBuiltinRobot(name);
    const world = PhysicsWorld.create(robot, EMPTY);
    trajectory(world, randomActions(robot, 25, 1));
    const snap = world.snapshot();
    const actions = randomActions(robot, 40, 2);
    const first = trajectory(world, actions);
    world.restore(snap);
    const second = trajectory(world, actions);
    assert.equal(first.length, second.length);
    assert.ok(first.every((v, i) => Object.is(v, second[i])), 'trajectories differ after restore');
    world.free();
  });

  test(`${name}: two worlds built from the same spec evolve identically`, () => {
    const robot = loadBuiltinRobot(name);
    const actions = randomActions(robot, 30, 3);
    const a = PhysicsWorld.create(robot, EMPTY);
    const b = PhysicsWorld.create(robot, EMPTY);
    assert.deepEqual(trajectory(a, actions), trajectory(b, actions));
    a.free();
    b.free();
  });
}

test('a torque beyond the actuator limit is clamped to the limit', () => {
  const robot = loadBuiltinRobot('reacher');
  const limit = robot.actuators.map((a) => a.limit);
  const atLimit = PhysicsWorld.create(robot, EMPTY);
  const beyond = PhysicsWorld.create(robot, EMPTY);
  const under = PhysicsWorld.create(robot, EMPTY);
  for (let i = 0; i < 10; i++) {
    atLimit.applyActuators(limit);
    beyond.applyActuators(limit.map((l) => l * 50));
    under.applyActuators(limit.map((l) => l * 0.5));
    for (const w of [atLimit, beyond, under]) w.step();
  }
  assert.deepEqual(beyond.jointVelocities(), atLimit.jointVelocities());
  assert.notDeepEqual(under.jointVelocities(), atLimit.jointVelocities());
  for (const w of [atLimit, beyond, under]) w.free();
});

test("a stance hold and the command share the actuator's limit: a hold pushing the command's way adds nothing to a full command", () => {
  const reacher = loadBuiltinRobot('reacher');
  // Undamped, so the only torques on the shoulder are the command's and the hold's.
  const robot = { ...reacher, joints: reacher.joints.map((j) => ({ ...j, damping: 0 })) };
  const shoulder = (value: number) => robot.actuators.map((a, i) => (i === 0 ? value : 0));
  const full = shoulder(robot.actuators[0].limit);
  // The shoulder's speed after 5 control steps, with a hold toward `target` on the shoulder alone (or none).
  const run = (target: number | undefined, command: number[]) => {
    const world = PhysicsWorld.create(robot, EMPTY);
    if (target !== undefined) world.holdStance({ targets: world.layout.joints.map(() => target), stiffness: world.layout.joints.map((_, i) => (i === 0 ? 50 : 0)) });
    for (let i = 0; i < 5; i++) {
      world.applyActuators(command);
      world.step();
    }
    const v = world.jointVelocities()[0];
    world.free();
    return v;
  };
  const free = run(undefined, full);
  assert.ok(free > 0);
  assert.ok(Math.abs(run(1, full) - free) < 1e-6, `held ${run(1, full)} vs free ${free}`);
  assert.ok(run(-1, full) < free - 1e-3, 'a hold against the command slows the joint');
  assert.ok(run(1, shoulder(0)) > 0.01, 'with no command the hold turns the joint toward its target');
});

test('a positive torque turns a revolute joint in the positive direction about its axis, up to its limit', () => {
  const robot = loadBuiltinRobot('reacher');
  const world = PhysicsWorld.create(robot, EMPTY);
  const shoulder = robot.joints.findIndex((j) => j.type !== 'fixed');
  const limit = robot.joints[shoulder].limit!;
  const command = robot.actuators.map((a, i) => (i === 0 ? a.limit : 0));
  for (let i = 0; i < 5; i++) {
    world.applyActuators(command);
    world.step();
  }
  assert.ok(world.jointVelocities()[0] > 0, 'joint should spin up in the positive sense');
  for (let i = 0; i < 400; i++) {
    world.applyActuators(command);
    world.step();
  }
  const q = world.jointPositions()[0];
  assert.ok(q <= limit.upper + 0.05, `joint passed its upper limit: ${q} > ${limit.upper}`);
  assert.ok(q > limit.upper - 0.3, `joint should rest near its upper limit, got ${q}`);
  world.free();
});

test('ant stands under gravity with zero torque for 10 s without exploding', () => {
  const robot = loadBuiltinRobot('ant');
  const world = PhysicsWorld.create(robot, EMPTY);
  const steps = Math.round(10 / world.controlDt);
  const zero = robot.actuators.map(() => 0);
  for (let i = 0; i < steps; i++) {
    world.applyActuators(zero);
    world.step();
    assert.ok(!world.diverged(), `diverged at t = ${world.time.toFixed(2)} s`);
  }
  const [x, y, z] = world.basePosition();
  assert.ok(z > 0.1, `torso sank to z = ${z}`);
  assert.ok(Math.hypot(x, y) < 0.5, `torso slid ${Math.hypot(x, y)} m`);
  assert.ok(world.sense().every(Number.isFinite));
  world.free();
});

test('rover rests on its wheels and caster; range rays see a wall', async () => {
  const robot = loadBuiltinRobot('rover');
  const wall = { name: 'wall', pose: { xyz: [2, 0, 0.5] as [number, number, number], rpy: [0, 0, 0] as [number, number, number] }, geoms: [{ shape: { type: 'box' as const, size: [0.2, 4, 1] as [number, number, number] }, origin: { xyz: [0, 0, 0] as [number, number, number], rpy: [0, 0, 0] as [number, number, number] } }] };
  const world = PhysicsWorld.create(robot, { ground: true, bodies: [wall], regions: [] });
  const zero = robot.actuators.map(() => 0);
  for (let i = 0; i < 100; i++) {
    world.applyActuators(zero);
    world.step();
  }
  assert.ok(!world.diverged());
  const rays = world.rays();
  assert.equal(rays.length, robot.sensors.rays!.count);
  const ahead = rays[0];
  const base = world.basePosition();
  assert.ok(Math.abs(ahead - (1.9 - base[0] - robot.sensors.rays!.offset[0])) < 0.15, `ray ahead reads ${ahead}`);
  assert.equal(rays[rays.length / 2], robot.sensors.rays!.range, 'nothing behind: the ray reads its range');
  world.free();
});

test('range rays see the scene from the first observation: walls and the actors placed at reset', async () => {
  const env = await createEnv(rooms, loadBuiltinRobot('rover'));
  const rays = env.observationSpec.names.flatMap((n, i) => (n.startsWith('ray.') ? [i] : []));
  const first = env.reset({ seed: 0 }).observation;
  const second = env.step(new Float64Array(env.actionSpec.size)).observation;
  // The rover starts 1.5 m from the post ahead; a zero-torque step barely moves it, so the readings agree.
  assert.ok(first[rays[0]] < 2, `ray ahead reads ${first[rays[0]]} at reset`);
  for (const i of rays) assert.ok(Math.abs(first[i] - second[i]) < 0.02, `${env.observationSpec.names[i]}: ${first[i]} at reset, ${second[i]} a step later`);
  env.free();
});

test('env: a NaN or wrongly sized action ends the episode with failure "invalid-action", no throw', async () => {
  const env = await createEnv(reach, loadBuiltinRobot('reacher'));
  env.reset({ seed: 0 });
  const r = env.step([NaN, 0]);
  assert.equal(r.terminated, true);
  assert.equal(r.info.failure, 'invalid-action');
  assert.match(r.info.failureDetail ?? '', /action\[0\] is NaN/);
  env.reset({ seed: 0 });
  assert.equal(env.step([0, 0, 0]).info.failure, 'invalid-action');
  env.reset({ seed: 0 });
  assert.throws(() => {
    env.step([NaN, 0]);
    env.step([0, 0]);
  }, /after the episode ended/);
  env.free();
});

test('env: same seed gives identical observations; different seeds give different targets', async () => {
  const env = await createEnv(reach, loadBuiltinRobot('reacher'));
  const a = env.reset({ seed: 3 }).observation;
  const b = env.reset({ seed: 3 }).observation;
  const c = env.reset({ seed: 4 }).observation;
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  env.free();
});

test('env: time limit truncates the episode with failure "timeout"', async () => {
  const env = await createEnv(reach, loadBuiltinRobot('reacher'), { maxSteps: 5 });
  env.reset({ seed: 1 });
  let r;
  for (let i = 0; i < 5; i++) r = env.step([0, 0]);
  assert.equal(r!.truncated, true);
  assert.equal(r!.terminated, false);
  assert.equal(r!.info.failure, 'timeout');
  env.free();
});

test('env contract (checkEnv) holds for reach-v1 with every robot that has an end effector', async () => {
  for (const name of builtinRobotNames()) {
    const robot = loadBuiltinRobot(name);
    if (!robot.endEffector) continue;
    const env = await createEnv(reach, robot);
    assert.deepEqual(checkEnv(env), []);
    env.free();
  }
});

test('guardrails: joint-limit intrusion, obstacle collision and keep-out depth are reported separately', async () => {
  const { defineScenario } = await import('@itinera/core');
  const { z } = await import('zod');
  const wall = { name: 'wall', pose: { xyz: [1.0, 0, 0.5] as [number, number, number], rpy: [0, 0, 0] as [number, number, number] }, geoms: [{ shape: { type: 'box' as const, size: [0.2, 4, 1] as [number, number, number] }, origin: { xyz: [0, 0, 0] as [number, number, number], rpy: [0, 0, 0] as [number, number, number] } }] };
  const drive = defineScenario({
    name: 'drive-test-v1',
    description: 'drive forward into a wall through a keep-out zone',
    defaultRobot: 'rover',
    schema: z.object({}),
    defaults: {},
    create: () => ({
      scene: { ground: true, bodies: [wall], regions: [{ name: 'zone', min: [0.2, -1, -1] as [number, number, number], max: [0.9, 1, 1] as [number, number, number], keepOut: true }] },
      maxSteps: 400,
      costTerms: [],
      observationNames: [],
      init: () => ({}),
      observe: () => [],
      residuals: () => ({}),
      status: () => ({ success: false }),
    }),
  });
  const env = await createEnv(drive, loadBuiltinRobot('rover'));
  env.reset({ seed: 0 });
  const seen = new Set<string>();
  for (let i = 0; i < 150; i++) {
    const r = env.step([4, 4, 3]); // full throttle, arm pressed to its limit
    for (const [name, value] of Object.entries(r.info.guardrails)) if (value > 0) seen.add(name);
    assert.ok(Object.keys(r.info.guardrails).every((k) => k in r.info.costTerms));
  }
  assert.ok(seen.has('joint-limit'), `joint-limit not reported: ${[...seen]}`);
  assert.ok(seen.has('keep-out'), `keep-out not reported: ${[...seen]}`);
  assert.ok(seen.has('collision'), `collision not reported: ${[...seen]}`);
  env.free();
});
