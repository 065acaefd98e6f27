import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { isItineraError, type RobotSpec } from '@itinera/core';
import { buildRobot, defineRobot, isRobotDefinition, loadBuiltinRobot, loadRobotModule, loadUrdfFile } from '@itinera/robots';
import { resolveRobot, resolveRobotAsync } from '@itinera/cli/robot-source';

const ROOT = join(import.meta.dirname, '..');
const PLANAR_ARM = join(ROOT, 'configs', 'robots', 'examples', 'planar-arm.ts');
const BIN = join(ROOT, 'packages', 'cli', 'bin', 'itinera.js');
const dir = mkdtempSync(join(tmpdir(), 'itinera-modules-'));

/** Writes a module into a temporary folder and returns its path. */
function writeModule(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function problemsOf(promise: Promise<unknown>): Promise<string[]> {
  try {
    await promise;
  } catch (e) {
    assert.ok(isItineraError(e), `expected an ItineraError, got ${String(e)}`);
    for (const line of e.problems) assert.ok(!line.includes('\n'), `problem spans lines: ${line}`);
    return e.problems;
  }
  assert.fail('expected an ItineraError');
}

const withoutSource = ({ source, ...rest }: RobotSpec) => rest;
const reacherFields = () => {
  const { name, ...fields } = parse(readFileSync(join(ROOT, 'configs', 'robots', 'reacher.yaml'), 'utf8'));
  return fields;
};

test('a TypeScript module that default-exports defineRobot({ name, create }) gives a checked robot', async () => {
  const robot = await loadRobotModule(PLANAR_ARM);
  assert.equal(robot.name, 'planar-arm');
  assert.equal(robot.source, PLANAR_ARM);
  assert.deepEqual(robot.actuators.map((a) => a.joint), ['joint1', 'joint2', 'joint3']);
  assert.deepEqual(robot.endEffector, { link: 'fingertip', point: [0, 0, 0] });
});

test('a module can wrap a URDF file and add the end effector URDF has no place for', async () => {
  const robot = await loadRobotModule(join(ROOT, 'configs', 'robots', 'examples', 'telescope-arm.robot.ts'));
  const urdf = loadUrdfFile(join(ROOT, 'configs', 'robots', 'examples', 'telescope-arm.urdf')).robot;
  assert.deepEqual(withoutSource(robot), { ...withoutSource(urdf), endEffector: { link: 'fingertip', point: [0, 0, 0] } });
});

test('a plain JavaScript module takes the YAML format and its defaults: the same spec as the YAML file', async () => {
  const path = writeModule('reacher.mjs', `export default { name: 'reacher', spec: ${JSON.stringify(reacherFields())} };\n`);
  assert.deepEqual(withoutSource(await loadRobotModule(path)), withoutSource(loadBuiltinRobot('reacher')));
});

test('a single named export works too', async () => {
  const path = writeModule('named.mjs', `export const arm = { name: 'reacher', create: async () => (${JSON.stringify(reacherFields())}) };\n`);
  assert.equal((await loadRobotModule(path)).name, 'reacher');
});

test('defineRobot marks a definition; it is checked when built, with its source', async () => {
  const definition = defineRobot({ name: 'ghost' });
  assert.ok(isRobotDefinition(definition));
  assert.deepEqual(await problemsOf(buildRobot(definition, 'ghost.ts')), ["ghost.ts: robot 'ghost': give exactly one of spec or create()"]);
});

test('module robots go through the same validation as files, every problem naming the module', async () => {
  const fields = reacherFields();
  fields.links[1].mass = -1;
  fields.joints[1].axis = [0, 0, 0];
  const path = writeModule('bad.mjs', `export default { name: 'reacher', spec: ${JSON.stringify(fields)} };\n`);
  assert.deepEqual(await problemsOf(loadRobotModule(path)), [
    `${path}: link 'upper_arm': mass must be positive (got -1)`,
    `${path}: joint 'elbow': axis must not be zero`,
  ]);
  const shapeless = writeModule('shapeless.mjs', "export default { name: 'blob', spec: { base: { link: 'b', fixed: true }, linkz: [] } };\n");
  assert.deepEqual(await problemsOf(loadRobotModule(shapeless)), [
    `${shapeless}: links: Invalid input: expected array, received undefined`,
    `${shapeless}: Unrecognized key: "linkz"`,
  ]);
});

test('modules that export no robot, several, a failing create() or broken code fail with one clear line', async () => {
  const none = writeModule('none.mjs', 'export const answer = 42;\n');
  assert.deepEqual(await problemsOf(loadRobotModule(none)), [`${none}: exports no robot; write \`export default defineRobot({ name, spec })\` (or create() instead of spec)`]);
  const two = writeModule('two.mjs', "export const a = { name: 'a', spec: {} };\nexport const b = { name: 'b', spec: {} };\n");
  assert.deepEqual(await problemsOf(loadRobotModule(two)), [`${two}: exports several robots (a, b); default-export the one to use`]);
  const failing = writeModule('failing.mjs', "export default { name: 'arm', create() { throw new Error('no calibration file'); } };\n");
  assert.deepEqual(await problemsOf(loadRobotModule(failing)), [`${failing}: robot 'arm': create() failed: no calibration file`]);
  const renamed = writeModule('renamed.mjs', "export default { name: 'arm', spec: { name: 'other' } };\n");
  assert.deepEqual(await problemsOf(loadRobotModule(renamed)), [`${renamed}: robot 'arm': spec.name 'other' differs from the definition's name`]);
  const broken = writeModule('broken.mjs', 'export default {\n');
  const [line] = await problemsOf(loadRobotModule(broken));
  assert.ok(line.startsWith(`${broken}: cannot load robot module: `), line);
});

test('--robot resolves names, files and modules; the sync resolver points modules to the async one', async () => {
  const robot = await resolveRobotAsync(PLANAR_ARM, 'link3');
  assert.deepEqual(robot.endEffector, { link: 'link3', point: [0, 0, 0] });
  assert.equal((await resolveRobotAsync('reacher')).name, 'reacher');
  assert.equal(resolveRobot(join(ROOT, 'configs', 'robots', 'examples', 'telescope-arm.urdf')).name, 'telescope-arm');
  assert.throws(() => resolveRobot(PLANAR_ARM), /robot modules load asynchronously; use resolveRobotAsync/);
  const xacro = writeModule('arm.urdf.xacro', '<robot/>');
  assert.deepEqual(await problemsOf(resolveRobotAsync(xacro)), [`${xacro}: expand xacro files to URDF first (xacro ${xacro} > robot.urdf)`]);
  const sdf = writeModule('arm.sdf', '<sdf/>');
  const [line] = await problemsOf(resolveRobotAsync(sdf));
  assert.match(line, /arm\.sdf: not a robot description Itinera reads \(\.sdf\); --robot takes a built-in name \(ant, reacher, rover\), a .urdf, MJCF .xml or .yaml file, or a robot module/);
});

test('check-robot loads a TypeScript module under plain node (through tsx when it is installed)', () => {
  const r = spawnSync(process.execPath, [BIN, 'check-robot', PLANAR_ARM], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /robot 'planar-arm' is valid/);
  assert.match(r.stdout, /actuators\s+3/);
});
