// --realtime: the episode advances at wall-clock pace on the latest finished plan (plans on worker threads), and
// refuses what it cannot run (levels above control, learned models on tfjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { constantPolicy, type Planner } from '@itinera/core';
import { createEnv } from '@itinera/physics';
import { loadBuiltinRobot } from '@itinera/robots';
import { realtimeEpisode$ } from '@itinera/runtime';
import { reach } from '@itinera/sim-reach';
import { runCommand } from '@itinera/cli';

const BIN = join(import.meta.dirname, '..', 'packages', 'cli', 'bin', 'itinera.js');

test('a real-time reach episode takes at least a control step of wall time per step and plans on the way', { timeout: 60_000 }, async () => {
  // A success radius out of reach: how soon the arm gets there depends on how fast this machine plans.
  const steps = 25;
  const summary = await runCommand({ sim: 'reach-v1', planner: 'mppi', opt: ['samples=8', 'horizon=10'], simOpt: [`maxSteps=${steps}`, 'tolerance=0.0001'], episodes: 1, seed: 2, json: true, realtime: true });
  const [episode] = summary.episodes;
  assert.equal(summary.realtime, true);
  assert.equal(episode.steps, steps);
  // reach's control step is 1/50 s: the clock paces the steps, and the episode ends at the last one without waiting.
  assert.ok(episode.wallMs >= (steps - 1) * 20, `wall ${episode.wallMs} ms for ${steps} steps`);
  assert.ok(episode.replans >= 1, `plans after the start plan: ${episode.replans}`);
});

test('--realtime refuses multi-level planners and learned models on tfjs with one line', { timeout: 60_000 }, () => {
  const cases = [
    { args: ['--sim', 'commute', '--planner', 'rover-hierarchical', '--realtime'], line: /--realtime plans one level: 'rover-hierarchical' has levels above control/ },
    { args: ['--sim', 'rooms-v1', '--planner', 'mppi', '--model', 'models/rover-level0-rooms', '--realtime'], line: /--realtime plans a learned model only with --rollouts onnx/ },
  ];
  for (const { args, line } of cases) {
    const r = spawnSync(process.execPath, [BIN, 'run', ...args], { encoding: 'utf8', cwd: join(import.meta.dirname, '..') });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, line);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});

test('a plan that fails mid-episode ends a real-time episode as planner-error', { timeout: 30_000 }, async () => {
  const env = await createEnv(reach, loadBuiltinRobot('reacher'));
  let plans = 0;
  const planner: Planner = {
    name: 'fails-third',
    async plan() {
      await new Promise((resolve) => setTimeout(resolve, 30));
      if (++plans === 3) throw new Error('out of ideas');
      return constantPolicy(new Float64Array(env.actionSpec.size));
    },
    reset() {},
    dispose() {},
  };
  const events = await lastValueFrom(realtimeEpisode$(env, planner, { seed: 0 }).pipe(toArray()));
  const done = events.at(-1)!;
  assert.equal(done.type, 'done');
  assert.deepEqual([done.type === 'done' && done.failure, done.type === 'done' && done.detail], ['planner-error', 'out of ideas']);
  assert.equal(events.filter((e) => e.type === 'plan').length, 2);
  // The clock kept running while plans took 30 ms: several control steps (20 ms) were taken on the first plans.
  assert.ok(events.filter((e) => e.type === 'tick').length >= 2);
  env.free();
});
