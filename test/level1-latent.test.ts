// The latent level-1 model: deterministic training through the CLI on a tiny config, clear errors for bad files,
// the hierarchical planner planning on the shipped model, and its surprise (distance in z) rising when the world
// disagrees with the prediction.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Channels, Rng, type Env, type StepResult } from '@itinera/core';
import type { PhysicsEnv, TimeLimit } from '@itinera/physics';
import { LatentRoverModel, LEARNED_LEVEL1_DEFAULTS, loadLatentLevel1File } from '@itinera/rover';
import { rooms } from '@itinera/sim-rooms';
import { parse } from 'yaml';
import { hierarchicalEpisode, subgoalEvents } from './hierarchy-episode.js';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'packages', 'cli', 'bin', 'itinera.js');
const SHIPPED = join(ROOT, 'models', 'rover-level1-latent', 'level1.json');
const PRESET = parse(readFileSync(join(ROOT, 'configs', 'planners', 'rover-hierarchical-latent.yaml'), 'utf8')) as { options: { surpriseThreshold: number } };
const root = mkdtempSync(join(tmpdir(), 'itinera-latent-'));

function itinera(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A small level-1 dataset in collect --level 1's format: the base drives 60% of the way to each waypoint. */
function tinyData(dir: string): void {
  const rng = new Rng(3);
  const lines = Array.from({ length: 12 }, (_, segment) => {
    const samples = Array.from({ length: 4 }, () => {
      const [wf, wl] = [rng.uniform(-1, 2.5), rng.uniform(-2, 2)];
      const turned = Math.atan2(wl, wf) * 0.5;
      return { input: [wf, wl, rng.uniform(0, 0.5), 0, rng.uniform(-0.3, 0.3)], target: [0.6 * wf, 0.6 * wl, Math.sin(turned), Math.cos(turned), 0.3, 0, 0, rng.uniform(0.5, 1)] };
    });
    return JSON.stringify({ seed: 0, segment, reached: true, samples });
  });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'level1.jsonl'), lines.join('\n') + '\n');
}

test('itinera train with a level1-latent config is deterministic: same seed, byte-identical weights file', { timeout: 240_000 }, () => {
  const data = join(root, 'data');
  tinyData(data);
  const config = join(root, 'tiny.yaml');
  writeFileSync(config, 'model: level1-latent\nnetwork: { latent: 4, hidden: 8, layers: 1 }\ntraining: { steps: 40, batch: 16, seed: 5 }\n');
  const files = ['a', 'b'].map((name) => {
    const r = itinera('train', '--data', data, '--config', config, '--backend', 'cpu', '--out', join(root, name));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /latent level-1 model trained on \d+ samples/);
    assert.match(r.stdout, /held-out latent error: median [\d.]+/);
    return readFileSync(join(root, name, 'level1.json'));
  });
  assert.ok(files[0].equals(files[1]), 'two runs with one seed write the same bytes');
  const file = loadLatentLevel1File(join(root, 'a', 'level1.json'));
  assert.equal(file.latent, 4);
  writeFileSync(config, 'model: level1-latent\ntraining: { steps: 40, batch: 16, seed: 6 }\n');
  assert.equal(itinera('train', '--data', data, '--config', config, '--backend', 'cpu', '--out', join(root, 'c')).code, 0);
  assert.ok(!readFileSync(join(root, 'c', 'level1.json')).equals(files[0]), 'another seed, other weights');
});

test('a damaged or foreign latent level-1 file is one clear error naming it', () => {
  const bad = join(root, 'bad.json');
  writeFileSync(bad, JSON.stringify({ format: 'itinera-level1-mlp' }));
  assert.throws(() => loadLatentLevel1File(bad), (e: Error) => e.message.startsWith(`${bad}: not a latent level-1 model file`));
  const r = itinera('run', '--sim', 'rooms', '--planner', 'rover-hierarchical-latent', '--opt', `level1Model=${bad}`, '--sim-opt', 'maxSteps=5');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^itinera: .*bad\.json: not a latent level-1 model file/);
});

test('the shipped latent model: no surprise before anything happened, more the farther the world strays from the prediction', () => {
  const channels = new Channels(['base.x', 'base.y', 'base.z', 'base.qx', 'base.qy', 'base.qz', 'base.qw', 'base.vx', 'base.vy', 'base.wz']);
  const model = new LatentRoverModel(channels, loadLatentLevel1File(SHIPPED), LEARNED_LEVEL1_DEFAULTS);
  const at = (x: number, y: number, vx = 0) => Float64Array.of(x, y, 0.2, 0, 0, 0, 1, vx, 0, 0);
  const start = { observation: at(1, 2), subgoal: { target: [3, 2] as const } };
  const gap = (a: Float64Array, b: Float64Array) => Math.hypot(...a.map((v, k) => v - b[k]));
  const waypoints = Float64Array.of(2.5, 2);
  assert.ok(gap(model.predict(start, waypoints, 0), model.represent(start.observation, start)) < 1e-9);
  // One second on, driving along toward the waypoint: a base pushed sideways is the more surprising the farther it went.
  const predicted = model.predict(start, waypoints, 1);
  const surprise = [0, 0.5, 1, 2].map((d) => gap(predicted, model.represent(at(1.2, 2 - d, 0.2), start)));
  for (let i = 1; i < surprise.length; i++) assert.ok(surprise[i] > surprise[i - 1], `sideways surprise ${surprise.map((s) => s.toFixed(2))}`);
  assert.ok(surprise[3] > PRESET.options.surpriseThreshold, `2 m off (${surprise[3]}) passes the preset's threshold`);
  // A base that stays where it started drifts further from the prediction as the step goes on.
  const stood = [1, 2, 3].map((t) => gap(model.predict(start, waypoints, t), model.represent(start.observation, start)));
  assert.ok(stood[0] < stood[1] && stood[1] < stood[2], `stood still ${stood.map((s) => s.toFixed(2))}`);
  // Plans prefer waypoints toward the target.
  const { costs } = model.rollout(start, Float64Array.of(2.5, 2, -0.5, 2), 2, 1);
  assert.ok(costs[0] < costs[1]);
});

test('the hierarchical planner plans on the latent model: it crosses the first wall of rooms-v1', { timeout: 120_000 }, async () => {
  const { events } = await hierarchicalEpisode(rooms, { seed: 2, maxSteps: 260, planner: { middle: 'latent' } });
  assert.ok(subgoalEvents(events).includes('done cross-1'), subgoalEvents(events).join(', '));
});

test("an unmodelled push makes the latent level replan on surprise at the preset's threshold; a calm run does not", { timeout: 120_000 }, async () => {
  const PUSH_AT = 12;
  const pushing = (env: Env): Env => {
    const inner = (env as TimeLimit<PhysicsEnv>).inner;
    return Object.assign(Object.create(env), {
      step(action: ArrayLike<number>): StepResult {
        const r = env.step(action);
        if (r.info.step === PUSH_AT) inner.world.pushBase([0, -25, 0]);
        return r;
      },
    });
  };
  const planner = { middle: 'latent', surpriseThreshold: PRESET.options.surpriseThreshold };
  const surprises = (list: { type: string }[]) => list.filter((e) => e.type === 'replan' && (e as { reason: string }).reason === 'surprise');
  const pushed = await hierarchicalEpisode(rooms, { seed: 2, maxSteps: 50, wrap: pushing, planner });
  assert.ok(surprises(pushed.events).some((e) => (e as { level: number; step: number }).level === 1 && (e as { step: number }).step > PUSH_AT), 'a level-1 surprise replan follows the push');
  const calm = await hierarchicalEpisode(rooms, { seed: 2, maxSteps: 50, planner });
  assert.deepEqual(surprises(calm.events), [], 'without the push the latent model is not surprised');
});
