import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, take, toArray } from 'rxjs';
import { constantPolicy, Rng, type Env, type EpisodeEvent, type Planner, type PlannerDefinition } from '@itinera/core';
import { randomPlanner, zeroPlanner } from '@itinera/mpc';
import { createEnv } from '@itinera/physics';
import { loadBuiltinRobot } from '@itinera/robots';
import { episode$, LIVE_ENV_REFUSAL, recordJsonl, runEpisode } from '@itinera/runtime';
import { reach } from '@itinera/sim-reach';

const env = await createEnv(reach, loadBuiltinRobot('reacher'), { maxSteps: 60 });
process.on('exit', () => env.free());

function create<C>(definition: PlannerDefinition<C>, seed: number): Planner {
  return definition.create(definition.defaults, { actionSpec: env.actionSpec, observationSpec: env.observationSpec, controlDt: env.controlDt, rng: new Rng(seed) });
}

async function record(planner: Planner, seed: number, replanEvery?: number) {
  const events: EpisodeEvent[] = [];
  const summary = await runEpisode(env, planner, { seed, replanEvery, onEvent: (e) => events.push(e) });
  return { events, summary };
}

/** Everything but wall-clock milliseconds. */
const withoutMs = (events: EpisodeEvent[]) => events.map((e) => (e.type === 'plan' ? { ...e, ms: 0 } : e));
const ofType = <T extends EpisodeEvent['type']>(events: EpisodeEvent[], type: T) => events.filter((e): e is Extract<EpisodeEvent, { type: T }> => e.type === type);

test('the same seed gives the same event stream; another seed another', async () => {
  const a = await record(create(randomPlanner, 7), 7, 5);
  const b = await record(create(randomPlanner, 7), 7, 5);
  const c = await record(create(randomPlanner, 8), 8, 5);
  assert.deepEqual(withoutMs(a.events), withoutMs(b.events));
  assert.notDeepEqual(withoutMs(a.events), withoutMs(c.events));
  assert.deepEqual({ ...a.summary, wallMs: 0, planMs: 0 }, { ...b.summary, wallMs: 0, planMs: 0 });
});

test('an episode is reset, replans at the start and every N ticks, ticks every step and ends with done', async () => {
  const { events, summary } = await record(create(zeroPlanner, 1), 1, 4);
  assert.equal(events[0].type, 'reset');
  assert.deepEqual(events[0], { type: 'reset', t: 0, step: 0, scenario: 'reach-v1', robot: 'reacher', planner: 'zero', seed: 1 });
  const replans = ofType(events, 'replan');
  assert.deepEqual(
    replans.map((r) => [r.step, r.reason, r.level]),
    [[0, 'start', 0], ...Array.from({ length: 14 }, (_, i) => [4 * (i + 1), 'periodic', 0])],
  );
  // Every replan is followed by its plan, before the tick that acts on it.
  for (const r of replans) {
    const i = events.indexOf(r);
    assert.deepEqual([events[i + 1].type, events[i + 1].step], ['plan', r.step]);
    assert.deepEqual([events[i + 2].type, events[i + 2].step], ['tick', r.step + 1]);
  }
  assert.deepEqual(ofType(events, 'tick').map((e) => e.step), Array.from({ length: 60 }, (_, i) => i + 1));
  assert.deepEqual(events.at(-1), { type: 'done', t: events.at(-1)!.t, step: 60, success: false, failure: 'timeout', terminated: false, truncated: true });
  assert.equal(summary.replans, replans.length - 1);
  assert.equal(summary.steps, 60);
  assert.equal(summary.failure, 'timeout');
  assert.ok(Math.abs(summary.simTime - 60 * env.controlDt) < 1e-9);
  assert.ok(summary.planMs.mean >= 0 && summary.planMs.p95 >= 0 && summary.wallMs > 0);
  assert.deepEqual(summary.subgoals, []);
});

test('the plan requested at a tick is the one acted on at that tick, even when planning is asynchronous', async () => {
  // Each policy's first torque names the step it was planned at, and the plan resolves on a later macrotask.
  const planner: Planner = {
    name: 'slow',
    reset() {},
    dispose() {},
    plan: async ({ step }) => {
      await new Promise((resolve) => setImmediate(resolve));
      return constantPolicy(Float64Array.of(step / 100, 0));
    },
  };
  const { events } = await record(planner, 3, 10);
  for (const tick of ofType(events, 'tick')) {
    const plannedAt = Math.floor((tick.step - 1) / 10) * 10;
    assert.equal(tick.action[0], plannedAt / 100, `tick ${tick.step}`);
  }
});

test('a planner that throws ends its episode with planner-error', async () => {
  let plans = 0;
  const planner: Planner = {
    name: 'fragile',
    reset() {},
    dispose() {},
    plan: () => {
      if (++plans > 2) throw new Error('out of ideas');
      return constantPolicy(new Float64Array(env.actionSpec.size));
    },
  };
  const { events, summary } = await record(planner, 1, 5);
  assert.equal(summary.failure, 'planner-error');
  assert.equal(summary.success, false);
  assert.equal(summary.steps, 10);
  assert.deepEqual(events.at(-1), { type: 'done', t: events.at(-1)!.t, step: 10, success: false, failure: 'planner-error', detail: 'out of ideas', terminated: true, truncated: false });
});

test('a planner that steps the live env is refused and its episode ends with planner-error', async () => {
  const cheat = (swallow: boolean): Planner => ({
    name: 'cheat',
    reset() {},
    dispose() {},
    plan: () => {
      try {
        env.step([0, 0]);
      } catch (error) {
        if (!swallow) throw error;
      }
      return constantPolicy(new Float64Array(env.actionSpec.size));
    },
  });
  for (const swallow of [false, true]) {
    const { events, summary } = await record(cheat(swallow), 2);
    assert.equal(summary.failure, 'planner-error');
    assert.equal(summary.steps, 0, 'the live env never moved');
    assert.equal(ofType(events, 'tick').length, 0);
    assert.deepEqual(events.at(-1), { type: 'done', t: 0, step: 0, success: false, failure: 'planner-error', detail: LIVE_ENV_REFUSAL, terminated: true, truncated: false });
  }
  // A policy is planner code too: it may not step the env it is sampled for.
  const sneakyPolicy: Planner = { name: 'sneaky', reset() {}, dispose() {}, plan: () => ({ action: () => (env.step([0, 0]), new Float64Array(2)) }) };
  const { summary, events } = await record(sneakyPolicy, 2);
  assert.equal(summary.failure, 'planner-error');
  assert.equal(ofType(events, 'tick').length, 0);
  // The guard lets the runner (and anyone) use the env again once no plan runs.
  const after = await record(create(zeroPlanner, 1), 1);
  assert.equal(after.summary.steps, 60);
  env.reset({ seed: 1 });
  assert.equal(env.step([0, 0]).info.step, 1);
});

test('an invalid action ends the episode with the env\'s failure; the done event carries its detail', async () => {
  const planner: Planner = { name: 'nan', reset() {}, dispose() {}, plan: () => constantPolicy(Float64Array.of(NaN, 0)) };
  const { events, summary } = await record(planner, 1);
  assert.equal(summary.failure, 'invalid-action');
  assert.equal(summary.steps, 0);
  const done = events.at(-1);
  assert.ok(done?.type === 'done' && done.failure === 'invalid-action' && done.detail === 'action[0] is NaN', JSON.stringify(done));
});

test('unsubscribing stops the episode; the env stays usable', async () => {
  const first = await lastValueFrom(episode$(env, create(zeroPlanner, 1), { seed: 1 }).pipe(take(5), toArray()));
  assert.deepEqual(first.map((e) => e.type), ['reset', 'replan', 'plan', 'tick', 'replan']);
  await new Promise((resolve) => setTimeout(resolve, 5));
  const { summary } = await record(create(zeroPlanner, 1), 1);
  assert.equal(summary.steps, 60);
});

test('guardrail events fire when a guardrail term crosses the threshold, not every tick', async () => {
  const events = await lastValueFrom(episode$(env, create(randomPlanner, 4), { seed: 4, replanEvery: 3, guardrailShare: 1e-4 }).pipe(toArray()));
  const guardrails = ofType(events, 'guardrail');
  assert.ok(guardrails.length >= 1, 'effort crossed the (tiny) threshold');
  assert.ok(guardrails.length < ofType(events, 'tick').length / 2, `${guardrails.length} guardrail events`);
  assert.ok(guardrails.some((g) => g.name === 'effort'), 'random torques cross the effort guardrail');
  for (const g of guardrails) {
    assert.ok(['effort', 'joint-limit', 'collision', 'speed', 'keep-out'].includes(g.name), g.name);
    const i = events.indexOf(g);
    assert.ok(events.slice(0, i).reverse().find((e) => e.type === 'tick')?.step === g.step, 'follows its tick');
  }
  const quiet = await lastValueFrom(episode$(env, create(zeroPlanner, 4), { seed: 4 }).pipe(toArray()));
  assert.equal(ofType(quiet, 'guardrail').filter((g) => g.type === 'guardrail' && g.name === 'effort').length, 0, 'no effort, no effort guardrail event');
});

test('episode$ recorded with recordJsonl gives one JSON line per event', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'itinera-runtime-')), 'episode.jsonl');
  const events = await lastValueFrom(episode$(env, create(randomPlanner, 5), { seed: 5, replanEvery: 10 }).pipe(recordJsonl(path), toArray()));
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
  assert.deepEqual(lines.map((line) => JSON.parse(line)), JSON.parse(JSON.stringify(events)));
});

test('runEpisode rejects a bad replanEvery before touching the env', async () => {
  await assert.rejects(() => runEpisode(env as Env, create(zeroPlanner, 1), { seed: 1, replanEvery: 0 }), /replanEvery must be a positive integer/);
});
