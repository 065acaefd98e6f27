// reach-v2: 3D targets from forward kinematics of random joint configurations, for any arm with an end effector.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { isItineraError, linkPointPosition, type RobotSpec, type Vec3 } from '@itinera/core';
import { builtinScenarios } from '@itinera/cli';
import { resolveRobot } from '@itinera/cli/robot-source';
import { createEnv } from '@itinera/physics';
import { loadBuiltinRobot } from '@itinera/robots';

const SPATIAL_ARM = join(import.meta.dirname, 'fixtures', 'urdf', 'spatial-arm.urdf');
const BIN = join(import.meta.dirname, '..', 'packages', 'cli', 'bin', 'itinera.js');
const reachV2 = builtinScenarios().get('reach-v2');
const quiet = () => {};

/** The target of each seed, read from the observation's target channels. */
async function targets(robot: RobotSpec, seeds: number[], options: Record<string, unknown> = {}): Promise<Vec3[]> {
  const env = await createEnv(reachV2, robot, { scenarioOptions: { ...reachV2.defaults, ...options } });
  try {
    const at = env.observationSpec.names.indexOf('target.x');
    return seeds.map((seed) => {
      const o = env.reset({ seed }).observation;
      return [o[at], o[at + 1], o[at + 2]];
    });
  } finally {
    env.free();
  }
}

const restEndEffector = (robot: RobotSpec): Vec3 => linkPointPosition(robot, robot.endEffector!.link, robot.endEffector!.point, robot.base.pose.xyz, [0, 0, 0, 1], () => 0);
const seeds = Array.from({ length: 12 }, (_, i) => i);

test('reach-v2 on a spatial arm: targets spread in 3D, within reach, above the floor, away from the start, one per seed', async () => {
  const arm = resolveRobot(SPATIAL_ARM, 'tool0', quiet);
  const found = await targets(arm, seeds);
  const shoulder: Vec3 = [0, 0, 0.2];
  const start = restEndEffector(arm);
  for (const t of found) {
    assert.ok(Math.hypot(t[0] - shoulder[0], t[1] - shoulder[1], t[2] - shoulder[2]) <= 0.6 + 1e-6, `beyond reach: ${t}`);
    assert.ok(t[2] >= 0.1, `below minHeight: ${t}`);
    assert.ok(Math.hypot(t[0] - start[0], t[1] - start[1], t[2] - start[2]) >= 0.1, `too close to the start: ${t}`);
  }
  const heights = found.map((t) => t[2]);
  assert.ok(Math.max(...heights) - Math.min(...heights) > 0.15, `targets are not spread in height: ${heights}`);
  assert.deepEqual(await targets(arm, [3]), [found[3]]);
  assert.notDeepEqual(found[0], found[1]);
});

test('reach-v2 on the planar reacher: targets stay in the plane its fingertip sweeps', async () => {
  const reacher = loadBuiltinRobot('reacher');
  const plane = restEndEffector(reacher)[2];
  for (const t of await targets(reacher, seeds)) {
    assert.ok(Math.abs(t[2] - plane) < 1e-6, `off the plane: ${t}`);
    assert.ok(Math.hypot(t[0], t[1]) <= 0.8 + 1e-6, `beyond reach: ${t}`);
  }
});

test('reach-v2 refuses an arm without an end effector, and targets it cannot place', async () => {
  const arm = resolveRobot(SPATIAL_ARM, undefined, quiet);
  assert.throws(() => reachV2.create(reachV2.defaults, arm), (e: unknown) => isItineraError(e) && /reach-v2 needs an end effector: robot 'spatial-arm' names none .*--end-effector/.test(e.message));
  await assert.rejects(targets(resolveRobot(SPATIAL_ARM, 'tool0', quiet), [0], { minDistance: 2 }), (e: unknown) => isItineraError(e) && /reach-v2: no target at least 2 m from the end effector/.test(e.message));
});

test('itinera: bare reach is reach-v2; arm-mppi brings the spatial arm to its target through a frame end effector', () => {
  const described = spawnSync(process.execPath, [BIN, 'describe', 'sim', 'reach'], { encoding: 'utf8' });
  assert.equal(described.status, 0, described.stderr);
  assert.match(described.stdout, /^sim reach-v2:/);
  for (const option of ['spread', 'minDistance', 'minHeight']) assert.match(described.stdout, new RegExp(`^  ${option} `, 'm'));
  const r = spawnSync(process.execPath, [BIN, 'run', '--sim', 'reach-v2', '--robot', SPATIAL_ARM, '--end-effector', 'tool0', '--planner', 'arm-mppi', '--seed', '101', '--json'], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  const summary = JSON.parse(r.stdout);
  assert.equal(summary.scenario, 'reach-v2');
  assert.equal(summary.episodes[0].success, true, `seed 101 failed: ${JSON.stringify(summary.episodes[0])}`);
});

/** End-effector height after `steps` control steps with every actuator at zero torque. */
async function restingHeight(robot: RobotSpec, steps: number, options: Record<string, unknown>): Promise<number> {
  const env = await createEnv(reachV2, robot, { scenarioOptions: { ...reachV2.defaults, ...options } });
  try {
    let { observation } = env.reset({ seed: 0 });
    const zero = new Float64Array(env.actionSpec.size);
    for (let i = 0; i < steps; i++) ({ observation } = env.step(zero));
    // The end effector is the target plus the error.
    const names = env.observationSpec.names;
    return observation[names.indexOf('target.z')] + observation[names.indexOf('error.z')];
  } finally {
    env.free();
  }
}

test('reach-v2 compensates gravity by default: an unpowered spatial arm stays where it starts, and falls without it', async () => {
  const arm = resolveRobot(SPATIAL_ARM, 'tool0', quiet);
  const start = restEndEffector(arm)[2];
  assert.ok(Math.abs((await restingHeight(arm, 50, {})) - start) < 0.005, 'the compensated arm sagged');
  assert.ok((await restingHeight(arm, 50, { gravityCompensation: false })) < start - 0.05, 'the uncompensated arm did not fall');
});

/** How far the end effector moves over control steps [from, to) with the first actuator held at `share` of its limit. */
async function drift(robot: RobotSpec, share: number, from: number, to: number, options: Record<string, unknown>): Promise<number> {
  const env = await createEnv(reachV2, robot, { scenarioOptions: { ...reachV2.defaults, ...options } });
  try {
    const names = env.observationSpec.names;
    const at = (o: Float64Array): Vec3 => ['x', 'y', 'z'].map((c) => o[names.indexOf(`target.${c}`)] + o[names.indexOf(`error.${c}`)]) as Vec3;
    env.reset({ seed: 0 });
    const action = new Float64Array(env.actionSpec.size);
    action[0] = share * env.actionSpec.high[0];
    let start: Vec3 = [0, 0, 0];
    for (let i = 0; i < to; i++) {
      const { observation } = env.step(action);
      if (i === from - 1) start = at(observation);
      if (i === to - 1) return Math.hypot(...at(observation).map((v, k) => v - start[k]));
    }
    throw new Error('unreachable');
  } finally {
    env.free();
  }
}

test('reach-v2 damps each actuated joint by jointDamping × its limit: a held torque sets a speed instead of building one', async () => {
  const arm = resolveRobot(SPATIAL_ARM, 'tool0', quiet);
  const task = reachV2.create(reachV2.defaults, arm);
  const yaw = task.robot!.joints.find((j) => j.name === 'yaw')!;
  assert.equal(yaw.damping, 0.1 * 4, 'yaw (4 N·m) is damped by 0.4 N·m·s/rad');
  assert.equal(reachV2.create({ ...reachV2.defaults, jointDamping: 0 }, arm).robot!.joints.find((j) => j.name === 'yaw')!.damping, 0.05, 'its own damping without');
  // 2 % of the yaw torque: about 0.2 rad/s once damped, so the tool sweeps as far in steps 20–30 as in 40–50.
  const [early, late] = [await drift(arm, 0.02, 20, 30, {}), await drift(arm, 0.02, 40, 50, {})];
  assert.ok(Math.abs(late - early) < 0.1 * early, `damped: ${early} m then ${late} m`);
  const [freeEarly, freeLate] = [await drift(arm, 0.02, 20, 30, { jointDamping: 0 }), await drift(arm, 0.02, 40, 50, { jointDamping: 0 })];
  assert.ok(freeLate > 1.5 * freeEarly, `undamped: ${freeEarly} m then ${freeLate} m`);
});
