// Level 0 learned for the rover: the scenario's own cost charged on a learned model's decoded channels
// (TaskCostLatentModel over a ReadoutView), so the subgoals a level above writes apply on the model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ItineraError, linkFootprint, totalCost, type WorldView } from '@itinera/core';
import { builtinScenarios } from '@itinera/cli';
import { createEnv } from '@itinera/physics';
import { loadBuiltinRobot } from '@itinera/robots';
import { BaseFrame, collect, datasetSpec, initBackend, loadTrainConfig, ObservedEnv, RayCollision, ReadoutView, TaskCostLatentModel, train, WorldModel } from '@itinera/world-model';

const BIN = join(import.meta.dirname, '..', 'packages', 'cli', 'bin', 'itinera.js');
const CONFIG = join(import.meta.dirname, '..', 'configs', 'train', 'rover-jepa.yaml');
const rooms = builtinScenarios().get('rooms');
const rover = loadBuiltinRobot('rover');
const options = { maxSteps: 2500, closedDoors: true };

async function roomsEnv() {
  const env = await createEnv(rooms, rover, { scenarioOptions: options });
  env.reset({ seed: 3 });
  // Drive forward and turn a little, so position, yaw and velocity are all off their start values.
  let observation = new Float64Array();
  for (let i = 0; i < 40; i++) observation = Float64Array.from(env.step([3, 2, 1]).observation);
  return Object.assign(env, { observation });
}

/** A rover-jepa model with untrained weights, saved: what the cost does with decoded channels does not depend on training. */
async function untrainedModel(env: Awaited<ReturnType<typeof roomsEnv>>, ensemble = 1, uncertainty = 0): Promise<string> {
  await initBackend('cpu');
  const config = loadTrainConfig(CONFIG);
  config.network = { ...config.network, latent: 8, hidden: 16, layers: 1, predictorHidden: 16, readoutHidden: 16, ensemble };
  config.planning = { ...config.planning, uncertainty };
  const spec = datasetSpec(env, options);
  const n = spec.observation.names.length;
  const dir = join(mkdtempSync(join(tmpdir(), 'itinera-rover0-')), 'model');
  const model = WorldModel.create({ kind: 'jepa', config, options: {}, spec, normalisation: { obsMean: new Array(n).fill(0), obsStd: new Array(n).fill(1) }, backend: 'cpu', extraNetworks: {} });
  model.save(dir, 0, 'cpu');
  model.dispose();
  return dir;
}

test("a ReadoutView holding the true channels gives the rover's drive residuals exactly as the simulator's view", async () => {
  const env = await roomsEnv();
  try {
    const inner = env.inner;
    const readouts = loadTrainConfig(CONFIG).readouts;
    const names = env.observationSpec.names;
    const obs = env.observation;
    const decoded = readouts.map((r) => obs[names.indexOf(r)]);
    const view = new ReadoutView(rover, names, readouts).load(obs, decoded, 0);
    const state = { ...(inner.state as object), subgoal: { target: [1.5, -0.4], arm: 0.3, speed: 0.5 } };
    const action = [1, -1, 0.5];
    const onSim = inner.task.residuals(inner.world, state, action);
    const onView = inner.task.residuals(view, state, action);
    for (const [term, r] of Object.entries(onSim)) assert.deepEqual(Array.from(onView[term]).map((v) => v.toFixed(6)), Array.from(r).map((v) => v.toFixed(6)), term);
    assert.ok(totalCost(inner.task.costTerms, onSim) > 0);
    assert.throws(() => view.linkInContact('base'), ItineraError);
    // The paddle tip (pressing buttons) by forward kinematics from the base pose and the arm angle.
    const tip = view.endEffectorPosition();
    inner.world.endEffectorPosition().forEach((v, i) => assert.ok(Math.abs(tip[i] - v) < 1e-4, `tip ${tip} vs simulator ${inner.world.endEffectorPosition()}`));
  } finally {
    env.free();
  }
});

test('a task-cost model charges the subgoal written into the start snapshot, and the effort guardrail', async () => {
  const live = await roomsEnv();
  const env = new ObservedEnv(live);
  const dir = await untrainedModel(live);
  const model = new TaskCostLatentModel(WorldModel.load(dir), live.inner.task, rover);
  try {
    const snapshot = env.snapshot();
    const horizon = 4;
    const actions = new Float64Array(2 * horizon * 3);
    actions.fill(4, horizon * 3); // sample 1 pushes the wheels at their limit, sample 0 rests
    const near = model.rollout(env.withSubgoal(snapshot, { target: [0, 0] }), actions, 2, horizon).costs;
    const far = model.rollout(env.withSubgoal(snapshot, { target: [6, 2] }), actions, 2, horizon).costs;
    assert.equal(near.length, 2 * horizon);
    assert.ok(far[0] > near[0] + 1, `a target 6 m further costs more (${far[0]} vs ${near[0]})`);
    assert.ok(model.terms.some((t) => t.name === 'effort'));
    assert.throws(() => model.rollout({ kind: 'observed', observation: snapshot.observation }, actions, 2, horizon), /task state/);
  } finally {
    model.free();
    live.free();
  }
});

test('the keep-out guardrail on a learned model: imagined base positions inside a keep-out region are charged by their depth', async () => {
  const live = await roomsEnv();
  const env = new ObservedEnv(live);
  const dir = await untrainedModel(live);
  const task = live.inner.task;
  const [x, y] = live.inner.world.basePosition();
  // 20 m either side of the base: an untrained model's decoded positions stay well inside it.
  const road = (dx: number) => ({ name: 'road', min: [x + dx - 20, y - 20, -5] as [number, number, number], max: [x + dx + 20, y + 20, 5] as [number, number, number], keepOut: true });
  const onRoad = new TaskCostLatentModel(WorldModel.load(dir), { ...task, scene: { ...task.scene, regions: [road(0)] } }, rover);
  const offRoad = new TaskCostLatentModel(WorldModel.load(dir), { ...task, scene: { ...task.scene, regions: [road(100)] } }, rover);
  try {
    const start = env.withSubgoal(env.snapshot(), { target: [x, y] });
    const actions = new Float64Array(4 * 3);
    const inside = onRoad.rollout(start, actions, 1, 4).costs;
    const outside = offRoad.rollout(start, actions, 1, 4).costs;
    assert.ok(onRoad.terms.some((t) => t.name === 'keep-out'));
    for (let h = 0; h < 4; h++) assert.ok(inside[h] > outside[h] + 5, `step ${h}: ${inside[h]} inside vs ${outside[h]} outside`);
  } finally {
    onRoad.free();
    offRoad.free();
    live.free();
  }
});

test("the model-uncertainty guardrail charges an ensemble's spread over imagined steps, only when weighted", async () => {
  const live = await roomsEnv();
  const env = new ObservedEnv(live);
  const [charged, unweighted, single] = [await untrainedModel(live, 2, 1), await untrainedModel(live, 2, 0), await untrainedModel(live, 1, 1)];
  const models = [charged, unweighted, single].map((dir) => new TaskCostLatentModel(WorldModel.load(dir), live.inner.task, rover));
  try {
    const start = env.withSubgoal(env.snapshot(), { target: [1, 0] });
    const horizon = 5;
    const actions = Float64Array.from({ length: 3 * horizon * 3 }, (_, i) => ((i * 7) % 9) - 4);
    const [withSpread, without] = models.slice(0, 2).map((m) => m.rollout(start, actions, 3, horizon).costs);
    assert.ok(models[0].terms.some((t) => t.name === 'model-uncertainty'));
    assert.ok(!models[1].terms.some((t) => t.name === 'model-uncertainty'), 'weight 0: not charged');
    assert.ok(!models[2].terms.some((t) => t.name === 'model-uncertainty'), 'one predictor: no spread to charge');
    // Untrained members disagree, so every imagined step costs more; the rest of the cost is the same rollout.
    for (let i = 0; i < withSpread.length; i++) assert.ok(withSpread[i] > without[i], `step ${i}: ${withSpread[i]} vs ${without[i]}`);
  } finally {
    for (const m of models) m.free();
    live.free();
  }
});

test('itinera run --model DIR plans the hierarchical rover on a task-cost model', async () => {
  const env = await roomsEnv();
  const dir = await untrainedModel(env);
  env.free();
  const r = spawnSync(process.execPath, [BIN, 'run', '--sim', 'rooms', '--planner', 'rover-hierarchical', '--model', dir, '--backend', 'cpu', '--sim-opt', 'maxSteps=12', '--json'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const summary = JSON.parse(r.stdout);
  assert.match(summary.model, new RegExp(dir));
  assert.equal(summary.episodes[0].steps, 12);
  assert.ok(summary.episodes[0].planMs.mean > 0);
});

test("network.ignore hides the wheel angles and rays from the networks, and cannot hide a decoded channel", async () => {
  await initBackend('cpu');
  const env = await roomsEnv();
  const root = mkdtempSync(join(tmpdir(), 'itinera-rover0-ignore-'));
  const data = join(root, 'data');
  collect(env, data, { steps: 60, seed: 1, scenarioOptions: options, episodeSteps: 30 });
  env.free();
  const config = loadTrainConfig(CONFIG);
  config.network = { ...config.network, latent: 4, hidden: 8, layers: 1, predictorHidden: 8, readoutHidden: 8, ignore: ['qpos.left_wheel', 'ray.*'] };
  config.training = { ...config.training, steps: 2, batch: 4, rolloutSteps: 3, readoutSteps: 1, readoutWindows: 8, validation: 0 };
  await train({ data, config, out: join(root, 'model'), backend: 'cpu' });
  const trained = WorldModel.load(join(root, 'model'));
  const { normalisation, spec } = trained.file;
  trained.dispose();
  const std = (name: string) => normalisation.obsStd[spec.observation.names.indexOf(name)];
  assert.ok(std('qpos.left_wheel') >= 1e9 && std('ray.7') >= 1e9, 'ignored channels normalise to ~0');
  assert.ok(std('base.x') < 100 && std('qpos.right_wheel') < 1e3, 'the others keep their data std');
  config.network.ignore = ['base.*'];
  await assert.rejects(train({ data, config, out: join(root, 'bad'), backend: 'cpu' }), /network.ignore: base.x, base.y, .* cannot be both ignored and decoded/);
});

test('network.frame: start sees the rover from its start pose: displacement and heading are relative, and the world comes back exactly', async () => {
  const env = await roomsEnv();
  const names = env.observationSpec.names;
  const start = Float32Array.from(env.observation);
  let later = start;
  for (let i = 0; i < 10; i++) later = Float32Array.from(env.step([2, 1, 0]).observation);
  env.free();
  const frame = new BaseFrame(names, 'observation channels');
  const pose = frame.poseOf(start);
  const seen = Float32Array.from(later);
  frame.transform(seen, 0, pose, false);
  const at = (row: Float32Array, n: string) => row[names.indexOf(n)];
  const moved = Math.hypot(at(later, 'base.x') - at(start, 'base.x'), at(later, 'base.y') - at(start, 'base.y'));
  assert.ok(Math.abs(Math.hypot(at(seen, 'base.x'), at(seen, 'base.y')) - moved) < 1e-5 && moved > 0.05, 'positions become displacements');
  const turned = frame.poseOf(later).yaw - pose.yaw;
  assert.ok(Math.abs(pose.yaw) > 0.1 && Math.abs(frame.poseOf(seen).yaw - turned) < 1e-5, `yaw is relative to the start heading (${pose.yaw})`);
  const direction = (row: Float32Array) => Math.atan2(at(row, 'base.vy'), at(row, 'base.vx'));
  assert.ok(Math.abs(Math.sin(direction(seen) - (direction(later) - pose.yaw))) < 1e-5, 'velocity turns with the start heading');
  frame.transform(seen, 0, pose, true);
  for (const n of ['base.x', 'base.y', 'base.qz', 'base.qw', 'base.vx', 'base.vy', 'base.wx']) assert.ok(Math.abs(at(seen, n) - at(later, n)) < 1e-5, n);
  assert.throws(() => new BaseFrame(['qpos.arm'], 'readouts'), /missing base.x/);
});

test('a start-frame model trains deterministically (same seed, same weights) and refuses the config cost', async () => {
  await initBackend('cpu');
  const env = await roomsEnv();
  const root = mkdtempSync(join(tmpdir(), 'itinera-rover0-frame-'));
  const data = join(root, 'data');
  collect(env, data, { steps: 80, seed: 2, scenarioOptions: options, episodeSteps: 40 });
  env.free();
  const config = loadTrainConfig(CONFIG);
  assert.equal(config.network.frame, 'start');
  config.network = { ...config.network, latent: 4, hidden: 8, layers: 1, predictorHidden: 8, readoutHidden: 8 };
  config.training = { ...config.training, steps: 3, batch: 4, rolloutSteps: 5, readoutSteps: 2, readoutWindows: 8, validation: 0 };
  for (const out of ['a', 'b']) await train({ data, config, out: join(root, out), backend: 'cpu' });
  assert.deepEqual(readFileSync(join(root, 'a', 'weights.bin')), readFileSync(join(root, 'b', 'weights.bin')));
  config.planning = { ...config.planning, cost: 'config' };
  await assert.rejects(train({ data, config, out: join(root, 'c'), backend: 'cpu' }), /network.frame: start needs planning.cost: task/);
});

test('rover-hierarchical-learned plans level 0 on its shipped JEPA, --model sim swaps the simulator back in, and other scenarios are refused', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [BIN, 'run', '--planner', 'rover-hierarchical-learned', '--sim-opt', 'maxSteps=6', '--json', ...args], { encoding: 'utf8' });
  const learned = run('--sim', 'rooms');
  assert.equal(learned.status, 0, learned.stderr);
  const levels = JSON.parse(learned.stdout).levels as Array<{ level: number; kind: string; model: string }>;
  assert.deepEqual(levels.map((l) => l.kind), ['analytic', 'learned', 'learned']);
  assert.match(levels[2].model, /models[\\/]rover-level0-rooms$/);
  const sim = run('--sim', 'rooms', '--model', 'sim');
  assert.equal(sim.status, 0, sim.stderr);
  assert.equal((JSON.parse(sim.stdout).levels as Array<{ kind: string }>)[2].kind, 'simulator');
  const other = run('--sim', 'reach-v1');
  assert.equal(other.status, 1);
  assert.match(other.stderr, /trained level-0 models for rooms-v1.*, not reach-v1/);
});

test("the collision guardrail on a learned model: imagined base poses reaching into what the ray ring saw are charged, clear ones not", async () => {
  const env = await createEnv(rooms, rover, { scenarioOptions: options });
  try {
    let obs = Float64Array.from(env.reset({ seed: 3 }).observation);
    const names = env.observationSpec.names;
    // Drive straight at the wall ahead until it is 0.7 m from the base's centre: within a plan's reach.
    while (obs[names.indexOf('ray.0')] > 0.7) obs = Float64Array.from(env.step([3, 3, 0]).observation);
    const at = (name: string) => obs[names.indexOf(name)];
    const [qx, qy, qz, qw] = ['base.qx', 'base.qy', 'base.qz', 'base.qw'].map(at);
    const yaw = Math.atan2(2 * (qw * qz + qx * qy), 1 - 2 * (qy * qy + qz * qz));
    const view = (x: number, y: number) => ({ basePosition: () => [x, y, at('base.z')], baseQuaternion: () => [0, 0, Math.sin(yaw / 2), Math.cos(yaw / 2)] }) as unknown as WorldView;
    // The rover's base box is 0.5 × 0.4 m, its fork posts 2 cm past the front.
    assert.deepEqual(Object.values(linkFootprint(rover, 'base')!).map((v) => +v.toFixed(3)), [-0.25, 0.27, -0.2, 0.2]);
    const charged = RayCollision.of(rover, names)!.obstacles(obs);
    // Where the simulator touches nothing, nothing is charged.
    assert.equal(env.inner.world.obstacleContacts(), 0);
    assert.equal(charged.depth(view(at('base.x'), at('base.y'))), 0);
    // Moved along its nearest ray until the wall is 0.1 m inside the footprint: charged as several links touching.
    const rays = names.flatMap((n, i) => (n.startsWith('ray.') ? [obs[i]] : []));
    const k = rays.indexOf(Math.min(...rays));
    const a = yaw + (2 * Math.PI * k) / rays.length;
    const reach = Math.abs(Math.cos(a - yaw)) * 0.25 + Math.abs(Math.sin(a - yaw)) * 0.2;
    const into = rays[k] - reach + 0.1;
    assert.ok(charged.depth(view(at('base.x') + into * Math.cos(a), at('base.y') + into * Math.sin(a))) > 3);
    assert.equal(RayCollision.of({ ...rover, sensors: {} }, names), undefined, 'no ray ring, no collision guardrail');
  } finally {
    env.free();
  }
});
