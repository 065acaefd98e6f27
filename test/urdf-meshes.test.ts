// Meshes as ROS packages publish them: package:// resolution, hulls from STL (ASCII, binary) and OBJ, DAE fallback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Shape, Vec3 } from '@itinera/core';
import { loadUrdfFile } from '@itinera/robots';
import { checkRobotReport } from '@itinera/physics';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'urdf');
const ARM = join(FIXTURES, 'ros_ws', 'src', 'arm-description', 'urdf', 'arm.urdf');
const EXTRA = join(FIXTURES, 'extra_packages');
const BIN = join(import.meta.dirname, '..', 'packages', 'cli', 'bin', 'itinera.js');

const hull = (shape: Shape) => {
  assert.equal(shape.type, 'convex');
  return shape as Extract<Shape, { type: 'convex' }>;
};
const extent = (points: Vec3[], k: number) => Math.max(...points.map((p) => p[k])) - Math.min(...points.map((p) => p[k]));

test('package:// resolves by package.xml name upward, by folder name, and on the package path', () => {
  const { robot, warnings } = loadUrdfFile(ARM, { packagePath: [EXTRA] });
  const shapes = robot.links.flatMap((l) => l.collisions.map((g) => g.shape.type));
  // Every STL and OBJ became a hull, the DAE a sphere.
  assert.deepEqual(shapes, ['convex', 'convex', 'convex', 'convex', 'sphere', 'convex']);
  assert.deepEqual(warnings, [
    `${ARM}: 1 collision mesh in a format not read (only STL and OBJ are) became a sphere sized from its link's inertia: package://fixture_arm/meshes/hand.dae (line 4)`,
  ]);
});

test('without the package path a missing package says what was tried, and ROS_PACKAGE_PATH is the default', () => {
  const { warnings } = loadUrdfFile(ARM, { packagePath: [] });
  assert.equal(warnings.length, 2);
  assert.match(warnings[1], /mesh 'package:\/\/fixture_gripper\/meshes\/finger.stl' replaced by a sphere .*package 'fixture_gripper' not found: looked for a folder named 'fixture_gripper' or a package.xml naming it upward from .*arm-description\/urdf \(no --package-path or ROS_PACKAGE_PATH given\)/);
  const before = process.env.ROS_PACKAGE_PATH;
  process.env.ROS_PACKAGE_PATH = `/nowhere:${EXTRA}`;
  try {
    assert.equal(loadUrdfFile(ARM).warnings.length, 1);
  } finally {
    if (before === undefined) delete process.env.ROS_PACKAGE_PATH;
    else process.env.ROS_PACKAGE_PATH = before;
  }
});

test('hulls: ASCII STL cube, scaled binary STL octahedron, OBJ sphere cut to the vertex budget', () => {
  const { robot } = loadUrdfFile(ARM, { packagePath: [EXTRA] });
  const [base, upper, fore] = robot.links;
  const cube = hull(base.collisions[0].shape);
  assert.equal(cube.points.length, 8);
  assert.ok(Math.abs(cube.volume - 0.001) < 1e-9, `cube volume ${cube.volume}`);
  const octahedron = hull(upper.collisions[0].shape);
  assert.equal(octahedron.points.length, 6);
  assert.ok(Math.abs(extent(octahedron.points, 0) - 0.4) < 1e-6, 'scale 2 applies along x');
  assert.ok(Math.abs(octahedron.volume - (4 / 3) * 0.2 * 0.1 * 0.1) < 1e-7);
  const ball = hull(fore.collisions[0].shape);
  assert.equal(ball.points.length, 64, 'a 242-vertex sphere is cut to 64 hull points');
  // 64 well-spread points keep most of the sphere: within 15 % of its volume and nearly its full height.
  const sphereVolume = (4 / 3) * Math.PI * 0.05 ** 3;
  assert.ok(ball.volume > 0.85 * sphereVolume && ball.volume < sphereVolume, `ball volume ${ball.volume}`);
  assert.ok(extent(ball.points, 2) > 0.09, 'nearly its full height');
});

test('a robot of hulls simulates in Rapier: stable, and every actuator moves its joint', async () => {
  const { robot } = loadUrdfFile(ARM, { packagePath: [EXTRA] });
  const report = await checkRobotReport(robot);
  assert.deepEqual(report.problems, []);
});

test('check-robot: --package-path finds meshes, --floating-base overrides the world link, hulls are listed', () => {
  const run = spawnSync(process.execPath, [BIN, 'check-robot', ARM, '--package-path', EXTRA, '--floating-base'], { encoding: 'utf8', env: { ...process.env, ROS_PACKAGE_PATH: '' } });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /base +base, floating/);
  assert.match(run.stdout, /hulls +5 convex collision meshes, 6–64 vertices each/);
  assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr); // only the DAE line
  const both = spawnSync(process.execPath, [BIN, 'check-robot', ARM, '--fixed-base', '--floating-base'], { encoding: 'utf8' });
  assert.equal(both.status, 1);
  assert.match(both.stderr, /fixed-base.*floating-base|floating-base.*fixed-base/);
});

test('a floating robot whose file puts it into the ground starts just clear of it in check-robot', async () => {
  const { robot } = loadUrdfFile(ARM, { packagePath: [EXTRA], fixedBase: false });
  const report = await checkRobotReport(robot);
  // The base's 0.1 m cube is centred on the origin: raised by its half height plus 1 cm.
  assert.ok(Math.abs(report.lift - 0.06) < 1e-6, `lift ${report.lift}`);
  assert.ok(!report.problems.some((p) => p.includes('diverges')), report.problems.join('\n'));
  // Fixed to the world, it stays where its file puts it.
  assert.equal((await checkRobotReport(loadUrdfFile(ARM, { packagePath: [EXTRA] }).robot)).lift, 0);
});
