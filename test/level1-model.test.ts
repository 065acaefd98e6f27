// The learned level-1 model: its base-frame features, plain-TS inference of a trained file, and the whole path
// through the CLI (collect --level 1 → train → run with middle=learned).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Channels } from '@itinera/core';
import { applyLevel1, LEVEL1_FORMAT, LEVEL1_INPUTS, LEVEL1_OUTPUTS, LearnedRoverModel, level1Input, level1Target, loadLevel1File, type Level1File, type PlanarState } from '@itinera/rover';

const BIN = join(import.meta.dirname, '..', 'packages', 'cli', 'bin', 'itinera.js');
const root = mkdtempSync(join(tmpdir(), 'itinera-level1-'));

function itinera(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('level-1 features are in the base frame: a step seen from its start, applied again, lands where the base went', () => {
  const before: PlanarState = { x: 2, y: -1, yaw: 2.5, forward: 0.4, left: 0.01, turn: -0.3 };
  const after: PlanarState = { x: 1.2, y: -0.3, yaw: -2.9, forward: 0.6, left: -0.02, turn: 0.5 };
  const back = applyLevel1(before, level1Target(before, after, 0.7));
  for (const k of ['x', 'y', 'forward', 'left', 'turn'] as const) assert.ok(Math.abs(back[k] - after[k]) < 1e-9, k);
  assert.ok(Math.abs(Math.atan2(Math.sin(back.yaw - after.yaw), Math.cos(back.yaw - after.yaw))) < 1e-9);
  // A waypoint straight ahead of the base reads as forward, whatever the heading.
  const input = level1Input(before, before.x + Math.cos(before.yaw), before.y + Math.sin(before.yaw));
  assert.ok(Math.abs(input[0] - 1) < 1e-9 && Math.abs(input[1]) < 1e-9);
});

/** A file whose network ignores its input and always predicts `out` (zero weights, biases = standardised out). */
function constantFile(out: number[]): Level1File {
  const hidden = 4;
  return {
    format: LEVEL1_FORMAT,
    robot: 'rover',
    stepSeconds: 3,
    activation: 'tanh',
    inputs: [...LEVEL1_INPUTS],
    outputs: [...LEVEL1_OUTPUTS],
    inputMean: LEVEL1_INPUTS.map(() => 0),
    inputStd: LEVEL1_INPUTS.map(() => 1),
    outputMean: out,
    outputStd: out.map(() => 1),
    layers: [
      { in: LEVEL1_INPUTS.length, out: hidden, w: Array(LEVEL1_INPUTS.length * hidden).fill(0), b: Array(hidden).fill(0) },
      { in: hidden, out: out.length, w: Array(hidden * out.length).fill(0), b: Array(out.length).fill(0) },
    ],
  };
}

test('a learned level-1 model rolls waypoints forward in the base frame, and charges the distance left to the target', () => {
  const names = ['base.x', 'base.y', 'base.z', 'base.qx', 'base.qy', 'base.qz', 'base.qw', 'base.vx', 'base.vy', 'base.wz'];
  const channels = new Channels(names);
  // Facing +y (yaw π/2); every step moves 1 m forward and turns 90° left, taking the whole step.
  const observation = Float64Array.of(0, 0, 0, 0, 0, Math.SQRT1_2, Math.SQRT1_2, 0, 0, 0);
  const model = new LearnedRoverModel(channels, constantFile([1, 0, 1, 0, 0, 0, 0, 1]));
  const start = { observation, subgoal: { target: [-1, 1] as const } };
  const { costs } = model.rollout(start, Float64Array.of(9, 9, 9, 9), 1, 2);
  // Step 1: to (0, 1), facing −x: 1 m from the target. Step 2: to (−1, 1), on the target.
  assert.ok(Math.abs(costs[0] - 1) < 1e-9, `cost after one step ${costs[0]}`);
  assert.ok(Math.abs(costs[1]) < 1e-9, `cost after two steps ${costs[1]}`);
  assert.deepEqual(Array.from(model.predict(start, Float64Array.of(9, 9, 9, 9), 6), (v) => Number(v.toFixed(9)) + 0), [-1, 1]);
  // Half a step in: half way along the first step.
  assert.deepEqual(Array.from(model.predict(start, Float64Array.of(9, 9), 1.5), (v) => Number(v.toFixed(9)) + 0), [0, 0.5]);
});

test('a damaged or foreign level-1 file is one clear error naming it', () => {
  const bad = join(root, 'bad.json');
  writeFileSync(bad, JSON.stringify({ format: 'something-else' }));
  assert.throws(() => loadLevel1File(bad), (e: Error) => e.message.startsWith(`${bad}: not a level-1 model file`));
  assert.throws(() => loadLevel1File(join(root, 'missing.json')), /cannot read a level-1 model/);
});

test('collect --level 1 → train (level-1 config) → run with middle=learned, through the CLI', { timeout: 600_000 }, () => {
  const data = join(root, 'data');
  const c = itinera('collect', '--level', '1', '--sim', 'rooms', '--sim-opt', 'closedDoors=false', '--steps', '3', '--seed', '7', '--out', data);
  assert.equal(c.code, 0, c.stderr);
  assert.match(c.stdout, /3 waypoints followed, \d+ level-1 samples/);
  const lines = readFileSync(join(data, 'level1.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((l) => l.segment), [0, 1, 2]);
  for (const l of lines) for (const s of l.samples) assert.ok(s.input.length === LEVEL1_INPUTS.length && s.target.length === LEVEL1_OUTPUTS.length);
  // Appending continues the stream where it stopped.
  const more = itinera('collect', '--level', '1', '--sim', 'rooms', '--sim-opt', 'closedDoors=false', '--steps', '2', '--seed', '7', '--out', data);
  assert.equal(more.code, 0, more.stderr);
  assert.match(more.stdout, /5 waypoints followed/);

  const model = join(root, 'model');
  const t = itinera('train', '--data', data, '--config', 'configs/train/rover-level1.yaml', '--steps', '200', '--backend', 'cpu', '--out', model);
  assert.equal(t.code, 0, t.stderr);
  assert.match(t.stdout, /held-out end-position error: model [\d.]+ m · straight-line baseline [\d.]+ m/);
  assert.ok(existsSync(join(model, 'metrics.json')));
  const file = loadLevel1File(join(model, 'level1.json'));
  assert.equal(file.layers.length, 2, "one hidden layer, as configs/train/rover-level1.yaml says");

  const r = itinera('run', '--sim', 'rooms', '--planner', 'rover-hierarchical', '--opt', 'middle=learned', '--opt', `level1Model=${join(model, 'level1.json')}`, '--sim-opt', 'maxSteps=60', '--json');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).episodes[0].steps, 60);
  assert.match(JSON.parse(r.stdout).model, /^sim \+ level 1: learned \(.*level1\.json\)$/);
  // --model sim: the simulator alone, so the middle level swaps the learned model for the analytic one.
  const sim = itinera('run', '--sim', 'rooms', '--planner', 'rover-hierarchical', '--model', 'sim', '--sim-opt', 'maxSteps=20', '--json');
  assert.equal(sim.code, 0, sim.stderr);
  assert.equal(JSON.parse(sim.stdout).model, 'sim + level 1: kinematic');
  const wrong = itinera('run', '--sim', 'rooms', '--planner', 'rover-hierarchical', '--opt', 'middle=learned', '--opt', `level1Model=${join(root, 'bad.json')}`, '--sim-opt', 'maxSteps=5');
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /^itinera: .*bad\.json: not a level-1 model file/);
});
