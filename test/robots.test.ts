import { test } from 'node:test';
import assert from 'node:assert/strict';
import { problemsOf } from '@itinera/testkit';
import { fileURLToPath } from 'node:url';
import { isItineraError, type Geom, type RobotSpec, type Vec3 } from '@itinera/core';
import {
  builtinRobotNames,
  checkRobotSpec,
  loadBuiltinRobot,
  loadRobotYaml,
  parseRobotYaml,
  validateRobotSpec,
} from '@itinera/robots';

const BROKEN = fileURLToPath(new URL('../configs/robots/broken/', import.meta.url));

/** Problems of a broken file, without the `<file>: ` every line must start with. */
function brokenFileProblems(name: string): string[] {
  const path = BROKEN + name;
  return problemsOf(() => loadRobotYaml(path)).map((line) => {
    assert.ok(line.startsWith(`${path}: `), `line does not name the file: ${line}`);
    return line.slice(path.length + 2);
  });
}

// --- a little forward kinematics, to check where the built-in robots stand at joint angles 0 ---

type Mat3 = [Vec3, Vec3, Vec3];
const mul = (a: Mat3, b: Mat3): Mat3 =>
  a.map((row) => [0, 1, 2].map((j) => row[0] * b[0][j] + row[1] * b[1][j] + row[2] * b[2][j])) as Mat3;
const apply = (m: Mat3, v: Vec3): Vec3 => m.map((row) => row[0] * v[0] + row[1] * v[1] + row[2] * v[2]) as Vec3;
const add = (a: Vec3, b: Vec3): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
function rpyMatrix([r, p, y]: Vec3): Mat3 {
  const [cr, sr, cp, sp, cy, sy] = [Math.cos(r), Math.sin(r), Math.cos(p), Math.sin(p), Math.cos(y), Math.sin(y)];
  return mul(mul([[cy, -sy, 0], [sy, cy, 0], [0, 0, 1]], [[cp, 0, sp], [0, 1, 0], [-sp, 0, cp]]), [[1, 0, 0], [0, cr, -sr], [0, sr, cr]]);
}
interface Frame { at: Vec3; rot: Mat3 }
function linkFrames(spec: RobotSpec): Map<string, Frame> {
  const frames = new Map([[spec.base.link, { at: spec.base.pose.xyz, rot: rpyMatrix(spec.base.pose.rpy) }]]);
  for (let added = true; added; ) {
    added = false;
    for (const j of spec.joints) {
      const parent = frames.get(j.parent);
      if (!parent || frames.has(j.child)) continue;
      frames.set(j.child, { at: add(parent.at, apply(parent.rot, j.origin.xyz)), rot: mul(parent.rot, rpyMatrix(j.origin.rpy)) });
      added = true;
    }
  }
  return frames;
}
/** Lowest world z of a collision shape. */
function lowestZ(frame: Frame, geom: Geom): number {
  const rot = mul(frame.rot, rpyMatrix(geom.origin.rpy));
  const z = add(frame.at, apply(frame.rot, geom.origin.xyz))[2];
  const axisZ = Math.abs(rot[2][2]); // how vertical the shape's own z axis is
  const s = geom.shape;
  if (s.type === 'sphere') return z - s.radius;
  if (s.type === 'capsule') return z - (s.length / 2) * axisZ - s.radius;
  if (s.type === 'cylinder') return z - (s.length / 2) * axisZ - s.radius * Math.sqrt(1 - axisZ ** 2);
  return z - [0, 1, 2].reduce((sum, i) => sum + (s.size[i] / 2) * Math.abs(rot[2][i]), 0);
}
function lowestPoints(spec: RobotSpec): Map<string, number> {
  const frames = linkFrames(spec);
  return new Map(spec.links.map((l) => [l.name, Math.min(...l.collisions.map((g) => lowestZ(frames.get(l.name)!, g)))]));
}

// --- built-in robots ---

test('the built-in robots are ant, reacher and rover', () => {
  assert.deepEqual(builtinRobotNames(), ['ant', 'reacher', 'rover']);
});

for (const name of ['ant', 'reacher', 'rover']) {
  test(`built-in robot '${name}' loads, validates and has sensible masses`, () => {
    const spec = loadBuiltinRobot(name);
    assert.equal(spec.name, name);
    assert.ok(spec.source?.endsWith(`configs/robots/${name}.yaml`), spec.source);
    assert.deepEqual(validateRobotSpec(spec, name), []);
    for (const link of spec.links) {
      assert.ok(link.mass >= 0.05 && link.mass <= 5, `${link.name} mass ${link.mass}`);
      assert.ok(link.inertia, `${link.name} has an explicit inertia`);
    }
    for (const joint of spec.joints) if (joint.type !== 'fixed') assert.ok(spec.actuators.some((a) => a.joint === joint.name), `${joint.name} is driven`);
  });
}

test('reacher: fixed base, two horizontal revolute joints, nothing near the ground', () => {
  const spec = loadBuiltinRobot('reacher');
  assert.deepEqual(spec.base, { link: 'base', fixed: true, pose: { xyz: [0, 0, 0.1], rpy: [0, 0, 0] } });
  const [shoulder, elbow] = spec.joints;
  assert.deepEqual([shoulder.axis, elbow.axis], [[0, 0, 1], [0, 0, 1]]);
  assert.deepEqual([shoulder.limit, elbow.limit], [{ lower: -3, upper: 3 }, { lower: -2.6, upper: 2.6 }]);
  assert.deepEqual(spec.endEffector, { link: 'fingertip', point: [0, 0, 0] });
  const frames = linkFrames(spec);
  assert.ok(Math.abs(frames.get('fingertip')!.at[0] - 0.8) < 1e-9, 'arm reaches 0.8 m');
  for (const [link, z] of lowestPoints(spec)) assert.ok(z > 0.05, `${link} is ${z} m above the ground`);
});

test('rover: wheels and caster rest on the ground, the base clears it', () => {
  const spec = loadBuiltinRobot('rover');
  assert.equal(spec.base.fixed, false);
  assert.deepEqual(spec.sensors.rays, { link: 'base', count: 16, range: 5, offset: [0, 0, 0.085] });
  const lowest = lowestPoints(spec);
  for (const link of ['left_wheel', 'right_wheel', 'caster']) assert.ok(Math.abs(lowest.get(link)!) < 1e-3, `${link} at ${lowest.get(link)}`);
  assert.ok(lowest.get('base')! > 0.05);
  assert.ok(lowest.get('arm')! > 0.1, 'the level arm is well above the ground');
  const wheel = spec.joints.find((j) => j.name === 'left_wheel')!;
  assert.deepEqual([wheel.type, wheel.axis], ['continuous', [0, 1, 0]]);
});

test('ant: four legs, starts standing on its feet with the torso clear', () => {
  const spec = loadBuiltinRobot('ant');
  assert.equal(spec.actuators.length, 8);
  const lowest = lowestPoints(spec);
  const feet = [...lowest].filter(([link]) => link.startsWith('shin_')).map(([, z]) => z);
  assert.equal(feet.length, 4);
  for (const z of feet) assert.ok(z > 0 && z < 0.01, `foot ${z} m above the ground`);
  assert.ok(lowest.get('torso')! > 0.2);
  const frames = linkFrames(spec);
  const hipAngles = spec.joints.filter((j) => j.name.startsWith('hip_')).map((j) => Math.round((Math.atan2(frames.get(j.child)!.at[1], frames.get(j.child)!.at[0]) * 180) / Math.PI));
  assert.deepEqual(hipAngles, [45, 135, -135, -45]);
});

test('an unknown built-in robot lists the known ones', () => {
  assert.deepEqual(problemsOf(() => loadBuiltinRobot('spider')), ["unknown robot 'spider'; built-in robots: ant, reacher, rover"]);
});

// --- broken files: one line per problem, naming the file, the element and (where it can) the line ---

test('syntax errors carry a line number', () => {
  const problems = brokenFileProblems('syntax-error.yaml');
  assert.ok(problems.length >= 1);
  for (const p of problems) assert.match(p, /^line 8: .*\(column \d+\)$/);
});

test('bad values: every problem in the file is reported at once', () => {
  assert.deepEqual(brokenFileProblems('bad-mass.yaml'), [
    "link 'forearm': mass must be positive (got -1) (line 10)",
    "link 'forearm': inertia must be positive definite (got ixx=0.01 iyy=0 izz=0.01 ixy=0 ixz=0 iyz=0) (line 11)",
    "link 'forearm': collisions[0]: capsule radius must be positive (got 0) (line 13)",
    "link 'forearm': collisions[1]: box size must be positive (got [0.1, 0, 0.1]) (line 14)",
  ]);
});

test('a joint naming a missing parent is reported once', () => {
  assert.deepEqual(brokenFileProblems('unknown-parent.yaml'), ["joint 'elbow': parent link 'foo' does not exist (line 14)"]);
});

test('a kinematic loop is reported with its joints', () => {
  assert.deepEqual(brokenFileProblems('loop.yaml'), ["joint 'ca': closes a kinematic loop a -> b -> c -> a (joints 'ab', 'bc', 'ca') (line 12)"]);
});

test('a zero axis is reported', () => {
  assert.deepEqual(brokenFileProblems('zero-axis.yaml'), ["joint 'shoulder': axis must not be zero (line 12)"]);
});

test('bad limits are reported', () => {
  assert.deepEqual(brokenFileProblems('bad-limits.yaml'), [
    "joint 'shoulder': limit lower (1.5) is greater than upper (-1.5) (line 10)",
    "joint 'elbow': revolute joint needs a limit { lower, upper } (line 11)",
    "joint 'spin': continuous joint takes no limit (line 12)",
  ]);
});

test('unknown keys and wrong types name the element and its index; parsed elements are still checked', () => {
  assert.deepEqual(brokenFileProblems('unknown-key.yaml'), [
    "link 'arm' (links[1]): mass: missing (expected number) (line 9)",
    "link 'arm' (links[1]): unknown key 'mas' (line 10)",
    "joint 'shoulder' (joints[0]): unknown key 'axsi' (line 17)",
    "actuator 'shoulder' (actuators[0]): limit: must be a number (got '3 Nm') (line 20)",
    "link 'base': mass must be positive (got 0) (line 7)",
  ]);
});

test('bad references: actuators, sensors, end effector, two parents, duplicate names', () => {
  assert.deepEqual(brokenFileProblems('bad-references.yaml'), [
    "link 'tip': duplicate name (also links[2]) (line 9)",
    "actuator 'shoulder': limit must be positive (got 0) (line 15)",
    "link 'tip': has 2 parent joints ('mount', 'second_mount'); a robot must be a tree (line 8)",
    "actuator 'mount': joint 'mount' is fixed and cannot be driven (line 16)",
    "actuator 'ghost': joint 'nowhere' does not exist (line 17)",
    "sensors: rays.link 'turret' does not exist (line 19)",
    "sensors: rays.count must be a positive integer (got 0) (line 19)",
    "sensors: contacts[1]: link 'foot' does not exist (line 20)",
    "endEffector: link 'hand' does not exist (line 21)",
  ]);
});

test('bad shapes: unknown type and non-numeric sizes', () => {
  assert.deepEqual(brokenFileProblems('bad-shapes.yaml'), [
    "link 'base' (links[0]): collisions[0].shape.type: must be one of 'box', 'sphere', 'cylinder', 'capsule' (got 'cone') (line 8)",
    "link 'base' (links[0]): collisions[1].shape.radius: must be a number (got 'small') (line 9)",
  ]);
});

test('a missing file is an ItineraError naming the path', () => {
  assert.deepEqual(problemsOf(() => loadRobotYaml('/nowhere/robot.yaml')), ['/nowhere/robot.yaml: cannot read robot file: file not found']);
});

// --- the format's details, on inline YAML ---

const MINIMAL = `
name: pendulum
base: { link: base, fixed: true }
links:
  - name: base
    mass: 1
    collisions: [{ shape: { type: sphere, radius: 0.05 } }]
  - name: bob
    mass: 0.5
    inertia: { ixx: 0.01, iyy: 0.01, izz: 0.01 }
    collisions: [{ shape: { type: box, size: [0.1, 0.1, 0.1] } }]
joints:
  - { name: swing, type: continuous, parent: base, child: bob }
`;

test('defaults are applied', () => {
  const spec = parseRobotYaml(MINIMAL, 'inline.yaml');
  const identity = { xyz: [0, 0, 0], rpy: [0, 0, 0] };
  assert.equal(spec.source, 'inline.yaml');
  assert.deepEqual(spec.base.pose, identity);
  assert.deepEqual(spec.links[0].collisions[0].origin, identity);
  assert.deepEqual(spec.links[1].inertia, { ixx: 0.01, iyy: 0.01, izz: 0.01, ixy: 0, ixz: 0, iyz: 0 });
  const joint = spec.joints[0];
  assert.deepEqual([joint.origin, joint.axis, joint.damping, joint.limit], [identity, [0, 0, 1], 0, undefined]);
  assert.deepEqual([spec.actuators, spec.sensors, spec.endEffector], [[], {}, undefined]);
});

test('non-unit axes are normalised', () => {
  const spec = parseRobotYaml(MINIMAL.replace('child: bob }', 'child: bob, axis: [3, 0, 4] }'), 'inline.yaml');
  assert.deepEqual(spec.joints[0].axis, [0.6, 0, 0.8]);
});

test('structural problems name the field and the line', () => {
  const text = MINIMAL.replace('child: bob }', 'child: bob, axis: [0, 1] }').replace('mass: 0.5', 'mass: .nan');
  assert.deepEqual(problemsOf(() => parseRobotYaml(text, 'r.yaml')), [
    "r.yaml: link 'bob' (links[1]): mass: must be a finite number (got NaN) (line 9)",
    "r.yaml: joint 'swing' (joints[0]): axis: must be [x, y, z] (got [0, 1]) (line 13)",
  ]);
});

test('duplicate keys and non-mappings are reported', () => {
  assert.deepEqual(problemsOf(() => parseRobotYaml('name: a\nname: b\n', 'd.yaml')), ['d.yaml: line 2: Map keys must be unique (column 1)']);
  assert.deepEqual(problemsOf(() => parseRobotYaml('', 'e.yaml')), ['e.yaml: the file must be a mapping of robot fields (got nothing)']);
  assert.deepEqual(problemsOf(() => parseRobotYaml(MINIMAL + 'colour: red\n', 'k.yaml')), ["k.yaml: unknown key 'colour' (line 14)"]);
});

// --- validateRobotSpec on specs built in code (the path a URDF importer or a TypeScript module takes) ---

function codeRobot(): RobotSpec {
  const sphere = { shape: { type: 'sphere' as const, radius: 0.05 }, origin: { xyz: [0, 0, 0] as Vec3, rpy: [0, 0, 0] as Vec3 } };
  return {
    name: 'coded',
    base: { link: 'base', fixed: true, pose: { xyz: [0, 0, 0], rpy: [0, 0, 0] } },
    links: [
      { name: 'base', mass: 1, collisions: [sphere] },
      { name: 'arm', mass: 0.5, collisions: [sphere] },
    ],
    joints: [{ name: 'j', type: 'revolute', parent: 'base', child: 'arm', origin: { xyz: [0, 0, 0.1], rpy: [0, 0, 0] }, axis: [0, 0, 2], limit: { lower: -1, upper: 1 }, damping: 0 }],
    actuators: [{ name: 'j', joint: 'j', limit: 1 }],
    sensors: {},
  };
}

test('validateRobotSpec accepts a valid coded robot; checkRobotSpec normalises it', () => {
  assert.deepEqual(validateRobotSpec(codeRobot(), 'coded.ts'), []);
  const checked = checkRobotSpec(codeRobot(), 'coded.ts');
  assert.deepEqual([checked.source, checked.joints[0].axis], ['coded.ts', [0, 0, 1]]);
});

test('validateRobotSpec finds NaN and Infinity anywhere, and tree problems', () => {
  const spec = codeRobot();
  spec.links[1].mass = NaN;
  spec.joints[0].origin.xyz[0] = Infinity;
  spec.links.push({ name: 'stray', mass: 1, collisions: [] });
  spec.joints.push({ name: 'up', type: 'fixed', parent: 'arm', child: 'base', origin: { xyz: [0, 0, 0], rpy: [0, 0, 0] }, axis: [0, 0, 1], damping: 0 });
  assert.deepEqual(validateRobotSpec(spec, 'coded.ts'), [
    "coded.ts: link 'arm': mass must be finite (got NaN)",
    "coded.ts: joint 'j': origin.xyz[0] must be finite (got Infinity)",
    "coded.ts: link 'stray': needs an inertia, or a collision shape to derive one from",
    "coded.ts: joint 'up': closes a kinematic loop base -> arm -> base (joints 'j', 'up')",
    "coded.ts: base: base link 'base' is the child of joint 'up'; the base must be the root",
    "coded.ts: link 'stray': not connected to the base link 'base'",
  ]);
  assert.throws(() => checkRobotSpec(spec, 'coded.ts'), (e) => isItineraError(e) && e.problems.length === 6);
});
