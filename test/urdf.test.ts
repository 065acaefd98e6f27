import { test } from 'node:test';
import assert from 'node:assert/strict';
import { problemsOf } from '@itinera/testkit';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RobotSpec } from '@itinera/core';
import { resolveRobot } from '@itinera/cli/robot-source';
import { loadRobotYaml, loadUrdfFile, parseUrdf } from '@itinera/robots';

const EXAMPLES = join(import.meta.dirname, '..', 'configs', 'robots', 'examples');
const BROKEN = join(EXAMPLES, 'broken');
const ARM_URDF = join(EXAMPLES, 'telescope-arm.urdf');
const BIN = join(import.meta.dirname, '..', 'packages', 'cli', 'bin', 'itinera.js');

/** Problems of a broken example, without the `<file>: ` every line must start with. */
function brokenProblems(name: string): string[] {
  const path = join(BROKEN, name);
  return problemsOf(() => loadUrdfFile(path)).map((line) => {
    assert.ok(line.startsWith(`${path}: `), `line does not name the file: ${line}`);
    return line.slice(path.length + 2);
  });
}

const inertial = (mass = 0.3) => `<inertial><mass value="${mass}"/><inertia ixx="0.001" ixy="0" ixz="0" iyy="0.001" iyz="0" izz="0.001"/></inertial>`;
const withoutSource = ({ source, ...rest }: RobotSpec) => rest;

// --- same robot as the YAML format ---

test('the telescope arm as URDF and as YAML gives the same RobotSpec', () => {
  const urdf = loadUrdfFile(ARM_URDF);
  const yaml = loadRobotYaml(join(EXAMPLES, 'telescope-arm.yaml'));
  assert.deepEqual(urdf.warnings, []);
  assert.deepEqual(withoutSource(urdf.robot), withoutSource(yaml));
  assert.equal(urdf.robot.source, ARM_URDF);
});

test('the telescope arm: fixed base from the world link, three actuated joints, one prismatic', () => {
  const { robot } = loadUrdfFile(ARM_URDF);
  assert.deepEqual(robot.base, { link: 'base', fixed: true, pose: { xyz: [0, 0, 0.1], rpy: [0, 0, 0] } });
  assert.ok(!robot.links.some((l) => l.name === 'world'), 'the world link is not a part of the robot');
  assert.deepEqual(robot.joints.map((j) => j.type), ['revolute', 'revolute', 'prismatic', 'fixed']);
  assert.deepEqual(robot.actuators, [
    { name: 'shoulder', joint: 'shoulder', limit: 3 },
    { name: 'elbow', joint: 'elbow', limit: 2 },
    { name: 'extend', joint: 'extend', limit: 5 },
  ]);
  assert.deepEqual(robot.joints[2].limit, { lower: -0.1, upper: 0.15 });
  assert.equal(robot.joints[2].damping, 1);
});

// --- base, actuators and defaults ---

const twoLinks = (extra = '', joint = '<joint name="spin" type="continuous"><parent link="base"/><child link="arm"/><limit effort="2" velocity="5"/></joint>') =>
  `<robot name="two"><link name="base">${inertial(1)}</link><link name="arm">${inertial()}</link>${joint}${extra}</robot>`;

test('without a world link the base floats; fixedBase overrides', () => {
  assert.equal(parseUrdf(twoLinks(), 'two.urdf').robot.base.fixed, false);
  assert.equal(parseUrdf(twoLinks(), 'two.urdf', { fixedBase: true }).robot.base.fixed, true);
  assert.equal(loadUrdfFile(ARM_URDF, { fixedBase: false }).robot.base.fixed, false);
});

test('a world link with a floating joint places a floating base', () => {
  const text = twoLinks('<link name="world"/><joint name="start" type="floating"><parent link="world"/><child link="base"/><origin xyz="0 0 0.5" rpy="0 0 1"/></joint>');
  const { robot } = parseUrdf(text, 'two.urdf');
  assert.deepEqual(robot.base, { link: 'base', fixed: false, pose: { xyz: [0, 0, 0.5], rpy: [0, 0, 1] } });
  assert.deepEqual(robot.links.map((l) => l.name), ['base', 'arm']);
});

test('a joint with no effort is passive; URDF defaults: axis x, zero origin and damping', () => {
  const { robot } = parseUrdf(twoLinks('', '<joint name="spin" type="continuous"><parent link="base"/><child link="arm"/></joint>'), 'two.urdf');
  assert.deepEqual(robot.actuators, []);
  assert.deepEqual(robot.joints[0], { name: 'spin', type: 'continuous', parent: 'base', child: 'arm', origin: { xyz: [0, 0, 0], rpy: [0, 0, 0] }, axis: [1, 0, 0], damping: 0 });
});

test('axes are made unit length', () => {
  const joint = '<joint name="spin" type="continuous"><parent link="base"/><child link="arm"/><axis xyz="0 0 2"/></joint>';
  assert.deepEqual(parseUrdf(twoLinks('', joint), 'two.urdf').robot.joints[0].axis, [0, 0, 1]);
});

const FIXTURES = join(import.meta.dirname, 'fixtures', 'urdf');
const near = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]) < 1e-9);

test('massless links on fixed joints merge into their parents as frames, with one summary warning', () => {
  const { robot, warnings } = loadUrdfFile(join(FIXTURES, 'frames.urdf'));
  assert.deepEqual(robot.links.map((l) => l.name), ['trunk', 'arm', 'finger']);
  // The massless root fixed to the trunk makes the trunk the (floating) base, placed by that joint.
  assert.deepEqual(robot.base, { link: 'trunk', fixed: false, pose: { xyz: [0, 0, 0.3], rpy: [0, 0, 0] } });
  const [flange, tool0] = robot.frames!;
  assert.equal(flange.name, 'flange');
  assert.equal(tool0.link, 'arm');
  // tool0 is 0.1 m along the flange's x, which the flange turns onto the arm's y.
  assert.ok(near(tool0.origin.xyz, [0.3, 0.1, 0]), `tool0 at ${tool0.origin.xyz}`);
  assert.ok(near(tool0.origin.rpy, [0, 0, Math.PI / 2]));
  // The frame's shape and child joint move onto the arm, posed in its frame.
  const arm = robot.links.find((l) => l.name === 'arm')!;
  assert.ok(near(arm.collisions[0].origin.xyz, [0.3, 0.01, 0]));
  const pinch = robot.joints.find((j) => j.name === 'pinch')!;
  assert.equal(pinch.parent, 'arm');
  assert.ok(near(pinch.origin.xyz, [0.3, 0.05, 0]));
  assert.deepEqual(robot.joints.map((j) => j.name), ['shoulder', 'pinch']);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /2 massless links on fixed joints merged into their parents as frames .*: flange → arm, tool0 → arm/);
});

test('a massless link that moves stays an error, with a hint', () => {
  const text = twoLinks('', '<joint name="spin" type="continuous"><parent link="base"/><child link="arm"/></joint>').replace(`<link name="arm">${inertial()}</link>`, '<link name="arm"><inertial><mass value="0"/><inertia ixx="0" ixy="0" ixz="0" iyy="0" iyz="0" izz="0"/></inertial></link>');
  assert.deepEqual(problemsOf(() => parseUrdf(text, 'two.urdf')), [
    "two.urdf: link 'arm': has zero mass; it is moved by joint 'spin', so it needs <mass> and <inertia>; a massless link is only a frame when its joint is fixed (line 1)",
  ]);
});

test('--end-effector takes a merged frame (its link and point); check-robot lists the frames', () => {
  const robot = resolveRobot(join(FIXTURES, 'frames.urdf'), 'tool0', () => {});
  assert.equal(robot.endEffector!.link, 'arm');
  assert.ok(near(robot.endEffector!.point, [0.3, 0.1, 0]));
  const run = spawnSync(process.execPath, [BIN, 'check-robot', join(FIXTURES, 'frames.urdf')], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /frames +2: flange \(on arm\), tool0 \(on arm\)/);
  assert.equal(run.stderr.split('\n').filter((l) => l.includes('merged')).length, 1);
  const fixed = spawnSync(process.execPath, [BIN, 'check-robot', join(FIXTURES, 'frames.urdf'), '--fixed-base'], { encoding: 'utf8' });
  assert.match(fixed.stdout, /base +trunk, fixed/);
});

test('a flat mesh becomes its bounding box, a missing one a sphere, each with a warning', () => {
  const dir = mkdtempSync(join(tmpdir(), 'itinera-urdf-'));
  writeFileSync(join(dir, 'part.stl'), binaryStl([[0, 0, 0], [0.2, 0, 0], [0.2, 0.1, 0.05]]));
  const collisions = '<collision><origin xyz="1 0 0"/><geometry><mesh filename="part.stl" scale="2 2 2"/></geometry></collision>' +
    '<collision><geometry><mesh filename="package://robot/meshes/shell.dae"/></geometry></collision>';
  const path = join(dir, 'meshy.urdf');
  writeFileSync(path, `<robot name="meshy">\n<link name="base">\n${inertial(1)}\n${collisions}\n</link>\n</robot>`);
  const { robot, warnings } = loadUrdfFile(path, { packagePath: ['/nowhere'] });
  const [box, sphere] = robot.links[0].collisions;
  assert.equal(box.shape.type, 'box');
  assert.deepEqual(box.shape.type === 'box' && box.shape.size.map((v) => +v.toFixed(6)), [0.4, 0.2, 0.1]);
  assert.deepEqual(box.origin.xyz.map((v) => +v.toFixed(6)), [1.2, 0.1, 0.05]);
  assert.deepEqual(sphere.shape.type === 'sphere' && +sphere.shape.radius.toFixed(4), +Math.sqrt((2.5 * 0.001) / 1).toFixed(4));
  assert.deepEqual(warnings, [
    `${path}: link 'base': collisions[0]: mesh 'part.stl' is flat; replaced by its bounding box 0.4 × 0.2 × 0.1 m (line 4)`,
    `${path}: link 'base': collisions[1]: mesh 'package://robot/meshes/shell.dae' replaced by a sphere of radius 0.05 m (package 'robot' not found: looked for a folder named 'robot' or a package.xml naming it upward from ${dir}, then in /nowhere) (line 4)`,
  ]);
});

test('friction beside damping is reported as not simulated; a mimic of an unknown joint is an error', () => {
  const joint = '<joint name="spin" type="continuous"><parent link="base"/><child link="arm"/>\n<dynamics damping="0.1" friction="0.2"/>\n</joint>';
  const { robot, warnings } = parseUrdf(twoLinks('', joint), 'two.urdf');
  assert.equal(robot.joints[0].damping, 0.1);
  assert.deepEqual(warnings, [`two.urdf: joint 'spin': <dynamics friction="0.2"> is not simulated on a damped joint (damping 0.1 is) (line 2)`]);
  const mimic = '<joint name="spin" type="continuous"><parent link="base"/><child link="arm"/>\n<mimic joint="other"/></joint>';
  assert.deepEqual(problemsOf(() => parseUrdf(twoLinks('', mimic), 'two.urdf')), [
    "two.urdf: joint 'spin': mimic joint 'other' does not exist or does not move (line 2)",
  ]);
});

// --- broken files: every problem at once, one line each, naming file, element and line ---

test('malformed XML names the line and column', () => {
  assert.deepEqual(brokenProblems('malformed.urdf'), [
    "line 9: malformed XML: Expected closing tag 'link' (opened in line 4, col 3) instead of closing tag 'robot'. (column 1)",
  ]);
});

test('unknown parent and child links', () => {
  assert.deepEqual(brokenProblems('unknown-links.urdf'), [
    "joint 'elbow': parent link 'upper_arm' does not exist (line 13)",
    "joint 'wrist': child link 'hand' does not exist (line 19)",
  ]);
});

test('a kinematic loop and a link with two parents', () => {
  assert.deepEqual(brokenProblems('loop.urdf'), [
    "link 'd': has 2 parent joints ('base_d', 'b_d'); a robot must be a tree (line 10)",
    "joint 'ca': closes a kinematic loop a -> b -> c -> a (joints 'ab', 'bc', 'ca') (line 13)",
  ]);
});

test('bad masses and inertias: negative, NaN, not positive definite, missing, absent on a moving link', () => {
  assert.deepEqual(brokenProblems('bad-inertials.urdf'), [
    "link 'base': mass must be positive (got -1) (line 7)",
    "link 'upper_arm': <mass value> must be a finite number (got 'NaN') (line 10)",
    "link 'forearm': inertia must be positive definite (got ixx=0.001 iyy=0.001 izz=0.001 ixy=0.01 ixz=0 iyz=0) (line 13)",
    "link 'hand': <inertia iyy> is missing (line 16)",
    "link 'finger': has no <inertial>; it is moved by joint 'knuckle', so it needs <mass> and <inertia>; a massless link is only a frame when its joint is fixed (line 18)",
  ]);
});

test('bad joints: zero axis, lower above upper, bad and missing numbers, negative effort, missing limit', () => {
  assert.deepEqual(brokenProblems('bad-joints.urdf'), [
    "joint 'spin': axis must not be zero (line 14)",
    "joint 'hinge': limit lower (1.5) is greater than upper (-1.5) (line 18)",
    "joint 'slide': <origin xyz> must be 3 finite numbers (got '0.1 zero 0') (line 22)",
    "joint 'slide': <limit effort> must not be negative (got -3) (line 23)",
    `joint 'hinge2': a revolute joint needs <limit lower="…" upper="…" effort="…" velocity="…"/> (line 25)`,
    "joint 'hinge2': <origin xyz> must be 3 finite numbers (got '0.1 0') (line 27)",
    "joint 'wobble': <limit lower> is missing (line 31)",
  ]);
});

test('unsupported joint types come with a suggestion', () => {
  assert.deepEqual(brokenProblems('unsupported-joints.urdf'), [
    "joint 'table': type 'planar' is not supported; use two prismatic joints and a revolute joint, chained through two small links (line 7)",
    "joint 'toss': type 'floating' is only supported from the root link 'world', where it sets the floating base's start pose; use a fixed joint, or leave the link out (line 8)",
  ]);
});

test('a file that is not a URDF robot, or not there', () => {
  assert.deepEqual(problemsOf(() => parseUrdf('<sdf version="1.9"/>', 'x.urdf')), ['x.urdf: a URDF file must have one <robot> element at the top (found <sdf>)']);
  assert.deepEqual(problemsOf(() => loadUrdfFile('/nowhere/arm.urdf')), ['/nowhere/arm.urdf: cannot read robot file: file not found']);
});

test('check-robot prints the URDF arm summary, and each broken file exits 1 with its lines and no stack trace', () => {
  const ok = spawnSync(process.execPath, [BIN, 'check-robot', ARM_URDF], { encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /robot 'telescope-arm' is valid/);
  assert.match(ok.stdout, /joints\s+4: 2 revolute, 1 prismatic, 1 fixed/);
  assert.match(ok.stdout, /total mass 1\.750 kg/);
  for (const name of ['malformed.urdf', 'bad-joints.urdf']) {
    const r = spawnSync(process.execPath, [BIN, 'check-robot', join(BROKEN, name)], { encoding: 'utf8' });
    assert.equal(r.status, 1, name);
    assert.equal(r.stdout, '');
    for (const line of r.stderr.trim().split('\n')) assert.ok(line.startsWith(`itinera: ${join(BROKEN, name)}: `), line);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
});

test('a custom URDF arm reaches its targets under MPPI', () => {
  const args = ['run', '--sim', 'reach-v1', '--robot', ARM_URDF, '--end-effector', 'fingertip', '--planner', 'mppi', '--episodes', '2', '--model-physics-dt', '0.02', '--json'];
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 300_000 });
  assert.equal(r.status, 0, r.stderr);
  const summary = JSON.parse(r.stdout);
  assert.equal(summary.robot, 'telescope-arm');
  assert.equal(summary.successRate, 1, JSON.stringify(summary.episodes.map((e: { failure: unknown }) => e.failure)));
});

/** A binary STL of one triangle per three vertices. */
function binaryStl(vertices: Array<[number, number, number]>): Buffer {
  const triangles = vertices.length / 3;
  const bytes = Buffer.alloc(84 + 50 * triangles);
  bytes.writeUInt32LE(triangles, 80);
  vertices.forEach((v, i) => v.forEach((x, k) => bytes.writeFloatLE(x, 84 + 50 * Math.floor(i / 3) + 12 + 12 * (i % 3) + 4 * k)));
  return bytes;
}
