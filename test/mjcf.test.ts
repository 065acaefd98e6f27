import { test } from 'node:test';
import assert from 'node:assert/strict';
import { problemsOf } from '@itinera/testkit';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RobotSpec } from '@itinera/core';
import { checkRobotReport, createEnv, initPhysics, PhysicsWorld } from '@itinera/physics';
import { reach } from '@itinera/sim-reach';
import { checkRobotSpec, loadMjcfFile, loadRobotFile, loadUrdfFile, parseMjcf, readRobotFile } from '@itinera/robots';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'mjcf');
const ARM_URDF = join(import.meta.dirname, '..', 'configs', 'robots', 'examples', 'telescope-arm.urdf');
const BIN = join(import.meta.dirname, '..', 'packages', 'cli', 'bin', 'itinera.js');

/** Asserts two values are equal, numbers within `tolerance`; `path` names where they differ. */
function assertClose(actual: unknown, expected: unknown, tolerance = 1e-9, path = 'robot'): void {
  if (typeof expected === 'number') {
    assert.ok(typeof actual === 'number' && Math.abs(actual - expected) <= tolerance, `${path}: ${String(actual)} ≠ ${expected}`);
  } else if (typeof expected === 'object' && expected !== null) {
    assert.ok(typeof actual === 'object' && actual !== null, `${path}: ${String(actual)} is not an object`);
    assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), `${path}: keys differ`);
    for (const key of Object.keys(expected)) assertClose((actual as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key], tolerance, `${path}.${key}`);
  } else assert.equal(actual, expected, path);
}

test('the telescope arm as MJCF and as URDF gives the same RobotSpec', () => {
  const mjcf = loadMjcfFile(join(FIXTURES, 'telescope-arm.xml'));
  const urdf = loadUrdfFile(ARM_URDF).robot;
  assert.deepEqual(mjcf.warnings, [], 'a worldbody plane is the ground, not worth a warning');
  // MJCF has no joint velocity limit, and names the weld of a jointless body after the body.
  const comparable = (robot: RobotSpec, fromUrdf: boolean) => ({
    ...robot,
    source: undefined,
    links: robot.links.map((l) => ({ inertialOrigin: { xyz: [0, 0, 0], rpy: [0, 0, 0] }, ...l })),
    joints: robot.joints.map(({ velocity, ...j }) => (j.type === 'fixed' && fromUrdf ? { ...j, name: `${j.child}_weld` } : j)),
  });
  assertClose(comparable(mjcf.robot, false), comparable(urdf, true));
});

test('MJCF features: include, childclass, frame, free joint, inertia from geoms, sites, keyframe, actuators', () => {
  const { robot, warnings } = loadMjcfFile(join(FIXTURES, 'crawler.xml'));
  assert.deepEqual(robot.base, { link: 'torso', fixed: false, pose: { xyz: [0, 0, 0.5], rpy: [0, 0, 0] } }, 'a free joint floats; the keyframe places it');
  assert.deepEqual(robot.initialJoints, { hip: 0.3 }, "the keyframe's joint positions are where the robot starts");
  const [torso, leg] = robot.links;
  // A 0.2 × 0.1 × 0.04 m box at 500 kg/m³.
  assertClose(torso.mass, 0.4);
  assertClose(torso.inertia!.ixx, (0.4 * (0.05 ** 2 + 0.02 ** 2)) / 3);
  // The leg's capsule (1000 kg/m³, from the class in the included file) plus an ellipsoid of 50 g.
  const capsule = 1000 * (Math.PI * 0.02 ** 2 * 0.2 + (4 / 3) * Math.PI * 0.02 ** 3);
  assertClose(leg.mass, capsule + 0.05);
  assertClose(leg.inertialOrigin!.xyz, [0, 0, (capsule * -0.1 + 0.05 * -0.2) / (capsule + 0.05)]);
  assert.deepEqual(leg.collisions.map((g) => g.shape.type), ['capsule', 'convex'], 'an ellipsoid becomes a hull');
  const [hip] = robot.joints;
  // The <frame> turns the leg 90° about z (degrees, MuJoCo's default) and the class's range is in degrees too.
  assertClose(hip.origin, { xyz: [0.1, 0, 0], rpy: [0, 0, Math.PI / 2] });
  assert.deepEqual(hip.axis, [0, 1, 0]);
  assertClose(hip.limit, { lower: -Math.PI / 3, upper: Math.PI / 3 });
  assert.equal(hip.damping, 0.1);
  // A position actuator is a servo on its target; it pushes hardest with its target at one end and the joint at the
  // other: kp · (0.5 + 60°).
  assertClose(robot.actuators, [{ name: 'hip', joint: 'hip', limit: 10 * (0.5 + Math.PI / 3), servo: { kind: 'position', kp: 10, kv: 0, range: [-0.5, 0.5] } }]);
  assertClose(robot.frames, [
    { name: 'nose', link: 'torso', origin: { xyz: [0.1, 0, 0], rpy: [0, 0, 0] } },
    { name: 'foot', link: 'leg', origin: { xyz: [0, 0, -0.22], rpy: [0, 0, 0] } },
  ]);
  assert.equal(warnings.length, 1, 'what is ignored is one summary line');
  assert.match(warnings[0], /crawler\.xml: not simulated or read only approximately: <sensor>; .*position, velocity and affine general actuators/);
  assert.doesNotMatch(warnings[0], /option/, '<option> timestep and gravity are read');
  assert.deepEqual(robot.physics, { timestep: 0.002 });
});

test('a mesh geom collides as its convex hull and, without an <inertial>, gives the body its mass and inertia', () => {
  // cube.stl is a 0.1 m cube about its origin; scaled to 0.2 × 0.1 × 0.1 m at 1000 kg/m³ it weighs 2 kg.
  const text = `<mujoco model="block">
  <compiler meshdir="../urdf/ros_ws/src/arm-description/meshes"/>
  <asset><mesh name="block" file="cube.stl" scale="2 1 1"/></asset>
  <worldbody>
    <body name="block" pos="0 0 0.5">
      <freejoint/>
      <geom type="mesh" mesh="block" pos="0.1 0 0"/>
    </body>
  </worldbody>
</mujoco>`;
  const { robot, warnings } = parseMjcf(text, join(FIXTURES, 'block.xml'));
  assert.deepEqual(warnings, []);
  const [block] = robot.links;
  assert.equal(block.collisions[0].shape.type, 'convex');
  assertClose(block.mass, 2, 1e-9);
  assertClose(block.inertialOrigin!.xyz, [0.1, 0, 0], 1e-12);
  assertClose(block.inertia!, { ixx: (2 * (0.01 + 0.01)) / 12, iyy: (2 * (0.04 + 0.01)) / 12, izz: (2 * (0.04 + 0.01)) / 12, ixy: 0, ixz: 0, iyz: 0 }, 1e-12);
});

test('a body with several joints is a chain: light links at the anchors, joints in MuJoCo\'s order', () => {
  const text = `<mujoco model="hip">
  <worldbody>
    <body name="thigh" pos="0 0 1">
      <joint name="hip_x" axis="1 0 0" pos="0 0 0.1" range="-30 30"/>
      <joint name="hip_y" axis="0 1 0" pos="0 0 0.2"/>
      <inertial pos="0 0 -0.2" mass="2" diaginertia="0.02 0.02 0.002"/>
    </body>
  </worldbody>
</mujoco>`;
  const { robot, warnings } = parseMjcf(text, join(FIXTURES, 'inline.xml'));
  assert.deepEqual(robot.links.map((l) => [l.name, l.mass]), [['world', 0.001], ['thigh', 2], ['thigh_hip_x', 0.02]]);
  assertClose(robot.joints.map((j) => [j.name, j.type, j.parent, j.child, j.origin.xyz]), [
    ['hip_x', 'revolute', 'world', 'thigh_hip_x', [0, 0, 1.1]],
    ['hip_y', 'continuous', 'thigh_hip_x', 'thigh', [0, 0, 0.1]],
  ]);
  assertClose(robot.links[1].inertialOrigin!.xyz, [0, 0, -0.4], 1e-12, 'the link frame sits at the last anchor');
  assert.match(warnings[0], /bodies with several joints \(chained through links of 1 % of the body's mass\)/);
});

test('a robot starts at its keyframe: the simulator places its bodies at those joint positions', async () => {
  await initPhysics();
  const { robot } = loadMjcfFile(join(FIXTURES, 'crawler.xml'));
  const world = PhysicsWorld.create({ ...robot, base: { ...robot.base, fixed: true } }, { ground: false, bodies: [], regions: [] });
  try {
    assertClose(world.jointPositions()[0], 0.3, 1e-6);
    // The foot site hangs 0.22 m below the hip, turned 0.3 rad about the hip's axis (y, which the frame turns onto −x).
    assertClose(world.pointPosition('leg', [0, 0, -0.22]), [0.1, -0.22 * Math.sin(0.3), 0.5 - 0.22 * Math.cos(0.3)], 1e-6);
    world.step();
    assert.ok(Math.abs(world.jointPositions()[0] - 0.3) < 0.02, 'no snap back toward 0 on the first step');
  } finally {
    world.free();
  }
});

test("a joint's ref shifts its range and keyframe values: RobotSpec counts from the pose as written", () => {
  const text = `<mujoco model="ref">
  <compiler angle="radian"/>
  <worldbody>
    <body name="arm" pos="0 0 1">
      <joint name="swing" axis="0 1 0" ref="0.5" range="-1 1"/>
      <inertial pos="0.2 0 0" mass="1" diaginertia="0.01 0.01 0.01"/>
    </body>
  </worldbody>
  <keyframe><key qpos="0.7"/></keyframe>
</mujoco>`;
  const { robot } = parseMjcf(text, join(FIXTURES, 'inline.xml'));
  assertClose(robot.joints[0].limit, { lower: -1.5, upper: 0.5 });
  assertClose(robot.initialJoints, { swing: 0.2 });
});

test('check-robot lifts a floating robot clear of the ground as it starts, joints bent by the keyframe', async () => {
  const { robot } = loadMjcfFile(join(FIXTURES, 'crawler.xml'));
  const low = { ...robot, base: { ...robot.base, pose: { xyz: [0, 0, 0.15], rpy: [0, 0, 0] } } } satisfies typeof robot;
  const quick = { seconds: 0.05, pushSeconds: 0.02 };
  const straight = await checkRobotReport({ ...low, initialJoints: undefined }, quick);
  const bent = await checkRobotReport({ ...low, initialJoints: { hip: 1 } }, quick);
  // Straight down, the leg reaches 0.21 m below the hip; swung 1 rad, about 0.13 m.
  assert.ok(straight.lift > 0.06, `lift ${straight.lift}`);
  assert.ok(bent.lift < straight.lift - 0.04, `lift ${bent.lift} vs ${straight.lift}`);
});

test('start positions must name moving joints and lie within their limits', () => {
  const { robot } = loadMjcfFile(join(FIXTURES, 'crawler.xml'));
  assert.deepEqual(problemsOf(() => checkRobotSpec({ ...robot, initialJoints: { hip: 2, ghost: 1 } }, 'crawler')), [
    "crawler: initialJoints: joint 'hip' starts at 2, outside its limit [-1.0471975511965976, 1.0471975511965976]",
    "crawler: initialJoints: joint 'ghost' does not exist, so it has no start position",
  ]);
});

test('a broken MJCF file lists every problem with its file and line', () => {
  const path = join(FIXTURES, 'broken.xml');
  const lines = problemsOf(() => loadMjcfFile(path)).map((line) => {
    assert.ok(line.startsWith(`${path}: `), `line does not name the file: ${line}`);
    return line.slice(path.length + 2);
  });
  assert.deepEqual(lines, [
    "<compiler angle> must be one of 'degree', 'radian' (got 'radians') (line 2)",
    "body 'a': joint 'j1': ball joints are not supported (Rapier cannot drive one with torques); write three hinge joints in nested bodies instead (line 5)",
    "body 'a': geom: type 'box' needs 3 positive sizes (got '0.1 0.1') (line 6)",
    "body 'b': <body pos> must be 3 finite numbers (got '0 zero 0') (line 7)",
    '<geom class="nope">: no <default class="nope"> exists (line 9)',
    `body 'b': geom: no <asset><mesh name="missing"> exists (line 10)`,
    "actuator 'v': nothing bounds its force; give it a forcerange (or a ctrlrange), as Itinera's actuators need a torque limit (line 15)",
    "actuator 'm': joint 'ghost' does not exist (line 16)",
  ]);
});

test('MJCF errors in included files name that file; malformed XML and missing includes are one line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'itinera-mjcf-'));
  writeFileSync(join(dir, 'parts.xml'), '<mujoco>\n  <worldbody>\n    <body name="a">\n      <joint name="j" type="screw"/>\n    </body>\n  </worldbody>\n</mujoco>\n');
  const main = join(dir, 'main.xml');
  assert.deepEqual(problemsOf(() => parseMjcf('<mujoco model="m">\n  <include file="parts.xml"/>\n</mujoco>\n', main)), [
    `${join(dir, 'parts.xml')}: body 'a': joint 'j': type must be one of 'hinge', 'slide', 'ball', 'free' (got 'screw') (line 4)`,
  ]);
  assert.deepEqual(problemsOf(() => parseMjcf('<mujoco>\n  <include file="nowhere.xml"/>\n</mujoco>', main)), [
    `${main}: <include file="nowhere.xml">: file not found: ${join(dir, 'nowhere.xml')} (line 2)`,
  ]);
  assert.deepEqual(problemsOf(() => parseMjcf('<mujoco>\n  <worldbody>\n</mujoco>', main)), [
    `${main}: line 3: malformed XML: Expected closing tag 'worldbody' (opened in line 2, col 3) instead of closing tag 'mujoco'. (column 1)`,
  ]);
});

test('degenerate geometry is a problem line, never a robot of NaNs', () => {
  const body = (geom: string) => `<mujoco><worldbody><body name="a"><freejoint/><inertial mass="1" diaginertia="1 1 1"/>${geom}</body></worldbody></mujoco>`;
  const path = join(FIXTURES, 'inline.xml');
  assert.deepEqual(problemsOf(() => parseMjcf(body('<geom type="box" size="0.1 0.1 0.1" zaxis="0 0 0"/>'), path)), [
    `${path}: body 'a': geom: <geom zaxis> does not define a rotation (got '0 0 0') (line 1)`,
  ]);
  assert.deepEqual(problemsOf(() => parseMjcf(body('<geom type="capsule" fromto="0 0 0 0 0 0" size="0.1"/>'), path))[0],
    `${path}: body 'a': geom: <geom fromto> needs two different ends (got '0 0 0 0 0 0') (line 1)`);
});

test('loadRobotFile tells MJCF from URDF by the root element, whatever the extension', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'itinera-robot-file-'));
  const urdfAsXml = join(dir, 'arm.xml');
  writeFileSync(urdfAsXml, readFileSync(ARM_URDF, 'utf8'));
  assert.equal((await loadRobotFile(urdfAsXml)).robot.name, 'telescope-arm');
  assert.equal(readRobotFile(join(FIXTURES, 'crawler.xml')).robot.name, 'crawler');
  assert.equal((await loadRobotFile(join(FIXTURES, 'crawler.xml'), { fixedBase: true })).robot.base.fixed, true);
  const sdf = join(dir, 'model.xml');
  writeFileSync(sdf, '<?xml version="1.0"?>\n<sdf version="1.9"/>');
  assert.deepEqual(problemsOf(() => readRobotFile(sdf)), [
    `${sdf}: not a robot description Itinera reads (its root element is <sdf>); it reads URDF (<robot>), MJCF (<mujoco>), YAML (.yaml) and robot modules (.js, .mjs, .ts, .mts)`,
  ]);
});

test('itinera check-robot takes an MJCF file and simulates it', () => {
  const ok = spawnSync(process.execPath, [BIN, 'check-robot', join(FIXTURES, 'telescope-arm.xml'), '--simulate'], { encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /robot 'telescope-arm' is valid/);
  assert.match(ok.stdout, /simulation passed/);
  const broken = spawnSync(process.execPath, [BIN, 'check-robot', join(FIXTURES, 'broken.xml')], { encoding: 'utf8' });
  assert.equal(broken.status, 1);
  assert.equal(broken.stderr.trim().split('\n').length, 8, broken.stderr);
  assert.doesNotMatch(broken.stderr, /\n\s+at /, 'no stack trace');
});

test("check-robot names what a file brings beside the robot: its scene bodies and its physics", () => {
  const file = join(mkdtempSync(join(tmpdir(), 'itinera-mjcf-')), 'moon-arm.xml');
  writeFileSync(
    file,
    `<mujoco model="moon-arm">
  <option timestep="0.002" gravity="0 0 -1.62"/>
  <worldbody>
    <body name="table" pos="0.6 0 0.2"><geom type="box" size="0.2 0.3 0.02"/></body>
    <body name="arm" pos="0 0 0.1">
      <joint name="j" type="hinge" axis="0 0 1"/>
      <geom type="capsule" fromto="0 0 0 0.4 0 0" size="0.03" mass="1"/>
    </body>
  </worldbody>
  <actuator><motor joint="j" ctrlrange="-1 1"/></actuator>
</mujoco>`,
  );
  const run = spawnSync(process.execPath, [BIN, 'check-robot', file], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /scene {6}1 static body beside the robot: table/);
  assert.match(run.stdout, /physics {4}gravity 0 0 -1\.62 m\/s², timestep 0\.002 s/);
});

test('position servos: the action is a target within ctrlrange, planners start from the start pose, check-robot passes', async () => {
  await initPhysics();
  const text = `<mujoco model="servo-arm">
  <worldbody>
    <body name="upper" pos="0 0 1">
      <joint name="shoulder" type="hinge" axis="0 1 0" range="-90 90" damping="0.5"/>
      <geom type="capsule" fromto="0 0 0 0.4 0 0" size="0.03" mass="1"/>
    </body>
  </worldbody>
  <actuator>
    <general name="shoulder" joint="shoulder" ctrlrange="-1 1" forcerange="-20 20" biastype="affine" gainprm="60" biasprm="0 -60 -3"/>
  </actuator>
  <keyframe><key qpos="0.4"/></keyframe>
</mujoco>`;
  const { robot } = parseMjcf(text, join(FIXTURES, 'servo-arm.xml'));
  assert.deepEqual(robot.actuators[0].servo, { kind: 'position', kp: 60, kv: 3, range: [-1, 1] });
  const env = await createEnv(reach, { ...robot, endEffector: { link: 'upper', point: [0.4, 0, 0] } });
  try {
    assert.deepEqual([...env.actionSpec.low, ...env.actionSpec.high], [-1, 1]);
    assert.deepEqual([...env.actionSpec.neutral!], [0.4], 'the neutral action holds the keyframe pose');
    env.reset({ seed: 1 });
    for (let i = 0; i < 50; i++) env.step([-0.6]);
    const q = env.inner.world.jointPositions()[0];
    // Gravity pulls the 1 kg arm down (+q about y): the PD settles a little past its target, not at it.
    assert.ok(q > -0.6 && q < -0.45, `the servo holds its joint near the −0.6 rad target (at ${q.toFixed(3)})`);
  } finally {
    env.free();
  }
  const report = await checkRobotReport(robot);
  assert.deepEqual(report.problems, []);
  const bad = () => checkRobotSpec({ ...robot, actuators: [{ ...robot.actuators[0], servo: { kind: 'position', kp: 0, kv: 0, range: [1, -1] } }] }, 'servo-arm.xml');
  assert.deepEqual(problemsOf(bad).map((p) => p.replace(/^.*: /, '')), ['a position servo needs kp > 0 (got 0)', 'range must be [low, high] with low < high (got [1, -1])']);
});

test("<option> gravity and timestep: the live world takes the file's gravity and finer step; a planner's coarse copy keeps its own", async () => {
  await initPhysics();
  const text = `<mujoco model="moon-ball">
  <option timestep="0.001" gravity="0 0 -1.62"/>
  <worldbody>
    <body name="ball" pos="0 0 5"><freejoint/><geom type="sphere" size="0.1" mass="1"/></body>
  </worldbody>
</mujoco>`;
  const { robot } = parseMjcf(text, join(FIXTURES, 'moon-ball.xml'));
  assert.deepEqual(robot.physics, { gravity: [0, 0, -1.62], timestep: 0.001 });
  const scene = { ground: false, bodies: [], regions: [] };
  const world = PhysicsWorld.create(robot, scene);
  const coarse = PhysicsWorld.create(robot, scene, { physicsDt: 1 / 50, substeps: 1, planning: true });
  try {
    // The same 1/50 s control step, in 20 physics steps of the file's 1 ms.
    assert.deepEqual([world.options.physicsDt, world.options.substeps], [0.001, 20]);
    assert.deepEqual([coarse.options.physicsDt, coarse.options.substeps], [1 / 50, 1]);
    for (let i = 0; i < 25; i++) world.step();
    // Half a second of free fall on the Moon: ½ · 1.62 · 0.5² = 0.2025 m.
    assertClose(5 - world.basePosition()[2], 0.2025, 2e-3);
  } finally {
    world.free();
    coarse.free();
  }
});

test('<worldbody> geometry beside the robot is its scene: static bodies and geoms join every scenario, planes stay the ground', async () => {
  await initPhysics();
  const text = `<mujoco model="arm-at-table">
  <worldbody>
    <geom name="floor" type="plane" size="5 5 0.1"/>
    <geom name="post" type="box" pos="1 0 0.5" size="0.05 0.05 0.5"/>
    <body name="table" pos="0.6 0 0.2">
      <geom type="box" size="0.2 0.3 0.02"/>
      <body name="leg" pos="0.15 0.25 -0.1"><geom type="cylinder" size="0.02 0.1"/></body>
      <geom type="sphere" size="0.05" contype="0" conaffinity="0"/>
    </body>
    <body name="arm" pos="0 0 0.1">
      <joint name="j" type="hinge" axis="0 0 1"/>
      <geom type="capsule" fromto="0 0 0 0.4 0 0" size="0.03" mass="1"/>
    </body>
    <body name="door" pos="2 0 0"><joint type="hinge" axis="0 0 1"/><geom type="box" size="0.4 0.02 1"/></body>
  </worldbody>
</mujoco>`;
  const { robot, warnings } = parseMjcf(text, join(FIXTURES, 'arm-at-table.xml'));
  assert.deepEqual(robot.links.map((l) => l.name), ['world', 'arm'], 'the first body with joints is the robot');
  assert.deepEqual(robot.scene?.map((b) => [b.name, b.geoms.map((g) => [g.shape.type, g.origin.xyz.map((v) => Number(v.toFixed(6)))])]), [
    ['worldbody', [['box', [1, 0, 0.5]]]],
    // Geoms in world coordinates; the visual sphere does not collide.
    ['table', [['box', [0.6, 0, 0.2]], ['cylinder', [0.75, 0.25, 0.1]]]],
  ]);
  assert.match(warnings[0], /bodies with joints beside the robot in <worldbody> \(door\)/);
  const env = await createEnv(reach, { ...robot, endEffector: { link: 'arm', point: [0.4, 0, 0] } });
  try {
    const names = env.inner.world.scene.bodies.map((b) => b.name);
    assert.ok(names.includes('table') && names.includes('worldbody'), `the scenario's scene holds the file's bodies (${names.join(', ')})`);
  } finally {
    env.free();
  }
});
