import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isItineraError } from '@itinera/core';
import { createEnv } from '@itinera/physics';
import { loadBuiltinRobot } from '@itinera/robots';
import { reach, reachOptionsSchema } from '@itinera/sim-reach';
import { collect, readEpisodes, readManifest } from '@itinera/world-model';

const robot = loadBuiltinRobot('reacher');
const options = (o: Record<string, unknown> = {}) => reachOptionsSchema.parse(o) as Record<string, unknown>;

test('collect writes Float32 chunks and a manifest, appends on a second run, and ignores a half-written chunk', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'itinera-data-'));
  const env = await createEnv(reach, robot, { scenarioOptions: options() });
  try {
    const first = collect(env, dir, { steps: 300, seed: 3, scenarioOptions: options(), episodeSteps: 60, chunkSteps: 150 });
    assert.equal(first.steps, 300);
    assert.equal(first.chunks.length, 2, 'a chunk closes once it holds chunkSteps transitions');
    // A run killed between writing a chunk and the manifest leaves an unlisted file (and maybe a temp file).
    writeFileSync(join(dir, 'chunk-000002.f32'), new Uint8Array(12));
    writeFileSync(join(dir, 'manifest.json.tmp-1'), '{');
    assert.equal(readEpisodes(dir).reduce((n, e) => n + e.steps, 0), 300);
    const second = collect(env, dir, { steps: 100, seed: 3, scenarioOptions: options(), episodeSteps: 60 });
    assert.equal(second.steps, 400);
    assert.equal(second.chunks.length, 3);
    const seeds = second.chunks.flatMap((c) => c.episodes.map((e) => e.seed));
    assert.equal(new Set(seeds).size, seeds.length, 'appending with the same --seed continues with new episodes');
    const episodes = readEpisodes(dir);
    assert.equal(episodes.reduce((n, e) => n + e.steps, 0), 400);
    const obs = second.observation.names.length;
    for (const e of episodes) {
      assert.equal(e.observations.length, (e.steps + 1) * obs);
      assert.ok(e.observations.every(Number.isFinite));
      for (let i = 0; i < e.actions.length; i++) assert.ok(Math.abs(e.actions[i]) <= second.action.high[i % 2] + 1e-6);
    }
    assert.deepEqual(readManifest(dir)?.chunks.map((c) => c.file), ['chunk-000000.f32', 'chunk-000001.f32', 'chunk-000002.f32']);
    assert.ok(!readdirSync(dir).some((f) => f.startsWith('chunk-') && f.includes('.tmp-' + process.pid)), 'no temp chunk left behind');
  } finally {
    env.free();
  }
});

test('collect refuses to append data of other scenario options', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'itinera-data-'));
  const plain = await createEnv(reach, robot, { scenarioOptions: options() });
  const noisy = await createEnv(reach, robot, { scenarioOptions: options({ distractors: 4 }) });
  try {
    collect(plain, dir, { steps: 20, seed: 0, scenarioOptions: options() });
    assert.throws(() => collect(noisy, dir, { steps: 20, seed: 0, scenarioOptions: options({ distractors: 4 }) }), (e: unknown) => isItineraError(e) && /holds different data/.test((e as Error).message));
    assert.ok(existsSync(join(dir, 'manifest.json')));
  } finally {
    plain.free();
    noisy.free();
  }
});

test('distractors: N extra swaying channels, deterministic under snapshot/restore, plain-data task state', async () => {
  const env = await createEnv(reach, robot, { scenarioOptions: options({ distractors: 8 }) });
  try {
    const names = env.observationSpec.names;
    assert.deepEqual(names.slice(-8), Array.from({ length: 8 }, (_, i) => `distractor.${i}`));
    const base = names.length - 8;
    const first = env.reset({ seed: 5 }).observation;
    const action = [0.5, -0.3];
    for (let i = 0; i < 10; i++) env.step(action);
    const snap = env.snapshot();
    const a = Array.from({ length: 20 }, () => Array.from(env.step(action).observation));
    env.restore(snap);
    const b = Array.from({ length: 20 }, () => Array.from(env.step(action).observation));
    assert.deepEqual(b, a, 'restoring the snapshot replays the distractors exactly');
    const sway = a.map((o) => o.slice(base));
    assert.ok(sway.flat().every((v) => Number.isFinite(v) && Math.abs(v) < 2), 'bounded');
    assert.ok(new Set(sway.map((s) => s[0].toFixed(6))).size > 10, 'they move');
    const other = env.reset({ seed: 6 }).observation;
    assert.notDeepEqual(Array.from(other.slice(base)), Array.from(first.slice(base)), 'another seed sways differently');
    // Same seed, same target, whatever the distractor count: the target draw comes first.
    const plain = await createEnv(reach, robot, { scenarioOptions: options() });
    const p = plain.reset({ seed: 5 }).observation;
    assert.deepEqual(Array.from(p.slice(-6)), Array.from(first.slice(base - 6, base)));
    plain.free();
  } finally {
    env.free();
  }
});
