import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filter, from, lastValueFrom, map, ReplaySubject, tap } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { Env, EpisodeEvent, Policy } from '@itinera/core';
import {
  guardrailCrossings,
  JsonlRecorder,
  LIVE_ENV_REFUSAL,
  lockLiveEnv,
  mergeTriggers,
  planEvents,
  planFromSnapshot,
  PlannerError,
  planOnTriggers,
  recordJsonl,
  replanAtStart,
  replanEvery,
  sampleLatestPolicy,
  summariseEpisode,
  trackPlans,
  type GuardrailSample,
  type PlanStatus,
  type ReplanTrigger,
  type Tick,
  type TriggerSource,
} from '@itinera/runtime';

const scheduler = () => new TestScheduler((actual, expected) => assert.deepEqual(actual, expected));
const clockOf = (s: TestScheduler) => () => s.now();

function tick(step: number, x = step): Tick {
  return { step, time: step * 0.02, observation: Float64Array.of(x) };
}
/** Ticks a…g are steps 0…6. */
const TICKS: Record<string, Tick> = Object.fromEntries([...'abcdefg'].map((c, i) => [c, tick(i)]));

interface NamedPolicy extends Policy {
  id: string;
}
function policy(id: string): NamedPolicy {
  return { id, action: () => new Float64Array(1) };
}
const idOf = (p: Policy) => (p as NamedPolicy).id;
const trigger = (step: number, reason = 'periodic', level = 0): ReplanTrigger => ({ tick: tick(step), level, reason });
const describeTrigger = (t: ReplanTrigger) => `${t.reason}@${t.tick.step}/L${t.level}`;

test('replanAtStart plans at the first tick only', () => {
  scheduler().run(({ cold, expectObservable }) => {
    const ticks = cold('abcd|', TICKS).pipe(replanAtStart(), map(describeTrigger));
    expectObservable(ticks).toBe('(s|)', { s: 'start@0/L0' });
  });
});

test('replanEvery(3) plans every third tick after the first', () => {
  scheduler().run(({ cold, expectObservable }) => {
    const triggers = cold('abcdefg|', TICKS).pipe(replanEvery(3), map(describeTrigger));
    expectObservable(triggers).toBe('---d--g|', { d: 'periodic@3/L0', g: 'periodic@6/L0' });
  });
  assert.throws(() => replanEvery(0), /positive integer/);
  assert.throws(() => replanEvery(1.5), /positive integer/);
});

test('mergeTriggers merges trigger streams; at one tick they come out in the order of the sources', () => {
  // A later issue's trigger, sketched: a level-1 'surprise' when the observation jumps.
  const surprise: TriggerSource = (tick$) =>
    tick$.pipe(
      filter((t) => t.observation[0] >= 40),
      map((t) => ({ tick: t, level: 1, reason: 'surprise' })),
    );
  const ticks: Record<string, Tick> = { ...TICKS, e: tick(4, 40), g: tick(6, 60) };
  scheduler().run(({ cold, expectObservable }) => {
    const triggers = cold('abcdefg---|', ticks).pipe(mergeTriggers(replanAtStart(), replanEvery(3), surprise), map(describeTrigger));
    expectObservable(triggers).toBe('s--pq-(rt)|', {
      s: 'start@0/L0',
      p: 'periodic@3/L0',
      q: 'surprise@4/L1',
      r: 'periodic@6/L0',
      t: 'surprise@6/L1',
    });
  });
});

test('planOnTriggers plans every trigger in order: a trigger that comes while a plan runs waits, it does not cancel it', () => {
  const s = scheduler();
  s.run(({ hot, cold, expectObservable }) => {
    const triggers = hot('-a-b', { a: trigger(0, 'start'), b: trigger(1) });
    const plans = triggers.pipe(
      planOnTriggers((t) => cold('---(p|)', { p: policy(`P${t.tick.step}`) }), clockOf(s)),
      map((p) => `${idOf(p.policy)} for ${describeTrigger(p.trigger)} in ${p.ms}ms`),
    );
    // a: planned 1→4; b arrives at 3 but starts at 4, when a is done (switchMap would have dropped a).
    expectObservable(plans).toBe('----x--y', { x: 'P0 for start@0/L0 in 3ms', y: 'P1 for periodic@1/L0 in 3ms' });
  });
});

test('planOnTriggers fails on a plan that ends without a policy', async () => {
  const empty = from([trigger(0, 'start')]).pipe(planOnTriggers(() => []));
  await assert.rejects(lastValueFrom(empty), /planner returned no policy/);
});

const describeStatus = (s: PlanStatus) => `${s.pending}:${s.latest ? idOf(s.latest.policy) : '-'}:${s.change?.type ?? 'idle'}`;

test('trackPlans counts requested and delivered plans', () => {
  const s = scheduler();
  s.run(({ hot, cold, expectObservable }) => {
    const triggers = hot('-ab', { a: trigger(0, 'start'), b: trigger(1) });
    const status = triggers.pipe(
      trackPlans(planOnTriggers((t) => cold('---(p|)', { p: policy(`P${t.tick.step}`) }), clockOf(s))),
      map(describeStatus),
    );
    expectObservable(status).toBe('iab-c--d', { i: '0:-:idle', a: '1:-:requested', b: '2:-:requested', c: '1:P0:planned', d: '0:P1:planned' });
  });
});

test('trackPlans counts a synchronous plan after its request, so pending never goes below zero', () => {
  scheduler().run(({ cold, expectObservable }) => {
    const status = cold('a 9ms |', { a: trigger(0, 'start') }).pipe(
      trackPlans(planOnTriggers(() => [policy('P0')])),
      map(describeStatus),
    );
    expectObservable(status).toBe('(iap) 5ms |', { i: '0:-:idle', a: '1:-:requested', p: '0:P0:planned' });
  });
});

test('sampleLatestPolicy waits for pending plans, then samples the latest policy', () => {
  const planned = (id: string) => ({ trigger: trigger(0), policy: policy(id), ms: 0 });
  const statuses: Record<string, PlanStatus> = {
    r: { pending: 1 },
    p: { pending: 0, latest: planned('P0') },
    q: { pending: 1, latest: planned('P0') },
    s: { pending: 0, latest: planned('P1') },
    t: { pending: 0, latest: planned('P2') },
  };
  scheduler().run(({ hot, cold, expectObservable }) => {
    const status$ = new ReplaySubject<PlanStatus>(1);
    hot('r-p---q-st', statuses).subscribe(status$);
    const acted = cold('a--b--c----d', TICKS).pipe(
      sampleLatestPolicy(status$),
      map(({ tick, planned }) => `${tick.step}:${idOf(planned.policy)}`),
    );
    // a waits for P0; b takes P0; c waits for the plan requested at its own frame (P1); d samples the latest, P2.
    expectObservable(acted).toBe('--x0----y--z', { x: '0:P0', 0: '1:P0', y: '2:P1', z: '3:P2' });
  });
});

test('sampleLatestPolicy refuses to act with no policy at all', async () => {
  const status$ = new ReplaySubject<PlanStatus>(1);
  status$.next({ pending: 0 });
  await assert.rejects(lastValueFrom(from([tick(0)]).pipe(sampleLatestPolicy(status$))), /no policy at step 0/);
});

test('planEvents turns requests into replan events and deliveries into plan events', () => {
  const t = trigger(5, 'surprise', 1);
  const statuses: Record<string, PlanStatus> = {
    i: { pending: 0 },
    r: { pending: 1, change: { type: 'requested', trigger: t } },
    p: { pending: 0, change: { type: 'planned', planned: { trigger: t, policy: policy('P'), ms: 7 } } },
  };
  scheduler().run(({ cold, expectObservable }) => {
    expectObservable(cold('irp|', statuses).pipe(planEvents())).toBe('-rp|', {
      r: { type: 'replan', t: 0.1, step: 5, level: 1, reason: 'surprise' },
      p: { type: 'plan', t: 0.1, step: 5, level: 1, ms: 7 },
    });
  });
});

test('guardrailCrossings reports a term when it reaches half the cost, once, and re-arms below a quarter', () => {
  const sample = (step: number, effort: number, limits = 0): GuardrailSample => ({ t: step, step, cost: 1, guardrails: { effort, limits } });
  const samples: Record<string, GuardrailSample> = {
    a: sample(0, 0.1),
    b: sample(1, 0.6), // crosses
    c: sample(2, 0.7), // still above: no event
    d: sample(3, 0.4), // below the share but above the re-arm level
    e: sample(4, 0.55), // not re-armed: no event
    f: sample(5, 0.2), // re-armed
    g: sample(6, 0.5, 0.5), // both cross
  };
  scheduler().run(({ cold, expectObservable }) => {
    expectObservable(cold('abcdefg---|', samples).pipe(guardrailCrossings())).toBe('-b----(gh)|', {
      b: { type: 'guardrail', t: 1, step: 1, name: 'effort', value: 0.6 },
      g: { type: 'guardrail', t: 6, step: 6, name: 'effort', value: 0.5 },
      h: { type: 'guardrail', t: 6, step: 6, name: 'limits', value: 0.5 },
    });
  });
  assert.throws(() => guardrailCrossings(0), /share/);
});

test('summariseEpisode reduces events to the summary', async () => {
  const events: EpisodeEvent[] = [
    { type: 'reset', t: 0, step: 0, scenario: 's', robot: 'r', planner: 'p', seed: 9 },
    { type: 'replan', t: 0, step: 0, level: 0, reason: 'start' },
    { type: 'plan', t: 0, step: 0, level: 0, ms: 2 },
    { type: 'tick', t: 0.1, step: 1, action: [0], cost: 1 },
    { type: 'replan', t: 0.1, step: 1, level: 0, reason: 'periodic' },
    { type: 'plan', t: 0.1, step: 1, level: 0, ms: 4 },
    { type: 'done', t: 0.1, step: 1, success: false, failure: 'planner-error', detail: 'boom', terminated: true, truncated: false },
  ];
  let now = 100;
  const summary = await lastValueFrom(from(events).pipe(summariseEpisode(() => (now += 5))));
  assert.deepEqual(summary, {
    seed: 9,
    success: false,
    steps: 1,
    simTime: 0.1,
    wallMs: 5,
    planMs: { mean: 3, p50: 2, p95: 4 },
    replans: 1,
    replansByLevel: { 0: 1 },
    failure: 'planner-error',
    subgoals: [],
  });
});

test('the summary counts replans after the start plan by level, and rounds simTime to the control step', async () => {
  const replan = (step: number, level: number, reason: string): EpisodeEvent => ({ type: 'replan', t: step * 0.02, step, level, reason });
  const events: EpisodeEvent[] = [
    { type: 'reset', t: 0, step: 0, scenario: 's', robot: 'r', planner: 'p', seed: 1 },
    replan(0, 0, 'start'),
    ...[1, 2, 3].map((step) => replan(step, 0, 'periodic')),
    replan(2, 1, 'waypoint-reached'),
    replan(3, 2, 'skill-done'),
    replan(3, 1, 'surprise'),
    // Physics time accumulates float noise: 200 steps of 0.02 s read 4.000000000000003 s.
    { type: 'done', t: 4.000000000000003, step: 200, success: true, terminated: true, truncated: false },
  ];
  const summary = await lastValueFrom(from(events).pipe(summariseEpisode(() => 0, 0.02)));
  assert.deepEqual(summary.replansByLevel, { 0: 3, 1: 2, 2: 1 });
  assert.equal(summary.replans, 6);
  assert.equal(summary.simTime, 4);
  assert.equal(JSON.stringify(summary.simTime), '4');
});

/** An env that only counts what is done to it (the lock is about the object, not physics). */
function countingEnv() {
  const calls: string[] = [];
  const env = {
    id: 'counting-v0',
    robotName: 'none',
    step: () => (calls.push('step'), 'stepped'),
    reset: () => calls.push('reset'),
    restore: () => calls.push('restore'),
    snapshot: () => ({ kind: 'counting' }),
  } as unknown as Env;
  return { env, calls };
}

test('lockLiveEnv: the env refuses step, reset and restore while locked and works again once released', () => {
  const { env, calls } = countingEnv();
  const lock = lockLiveEnv(env);
  assert.throws(() => env.step([0]), { message: LIVE_ENV_REFUSAL });
  assert.throws(() => env.reset(), { message: LIVE_ENV_REFUSAL });
  assert.throws(() => env.restore({ kind: 'counting' }), { message: LIVE_ENV_REFUSAL });
  assert.equal(lock.refused?.message, LIVE_ENV_REFUSAL);
  lock.release();
  assert.equal(env.step([0]) as unknown, 'stepped');
  env.reset();
  assert.deepEqual(calls, ['step', 'reset']);
  assert.equal(lockLiveEnv(env).refused, undefined);
});

test('planFromSnapshot hands the planner a snapshot and fails a planner that steps the live env, even if it swallows the refusal', async () => {
  const { env } = countingEnv();
  const request = trigger(3);
  const seen: unknown[] = [];
  const planner = (plan: () => Policy) => ({ name: 'test', reset() {}, dispose() {}, plan: (r: unknown) => (seen.push(r), plan()) });
  const fine = await lastValueFrom(planFromSnapshot(env, planner(() => policy('P')), request));
  assert.equal(idOf(fine), 'P');
  assert.deepEqual(seen[0], { observation: Float64Array.of(3), time: 0.06, step: 3, snapshot: { kind: 'counting' } });

  const stepping = planner(() => (env.step([0]), policy('never')));
  await assert.rejects(lastValueFrom(planFromSnapshot(env, stepping, request)), (e: unknown) => e instanceof PlannerError && e.message === LIVE_ENV_REFUSAL && e.tick.step === 3);
  const sneaky = planner(() => {
    try {
      env.step([0]);
    } catch {}
    return policy('sneaky');
  });
  await assert.rejects(lastValueFrom(planFromSnapshot(env, sneaky, request)), { message: LIVE_ENV_REFUSAL });
  assert.equal(env.step([0]) as unknown, 'stepped', 'released after a failed plan');
});

test('recordJsonl writes one line per event as it passes, and appends', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'itinera-runtime-')), 'episode.jsonl');
  const events: EpisodeEvent[] = [
    { type: 'reset', t: 0, step: 0, scenario: 's', robot: 'r', planner: 'p', seed: 1 },
    { type: 'tick', t: 0.02, step: 1, action: [0.5], cost: 1 },
  ];
  const linesSoFar: number[] = [];
  await lastValueFrom(from(events).pipe(recordJsonl(path), tap(() => linesSoFar.push(readFileSync(path, 'utf8').split('\n').length - 1))));
  assert.deepEqual(linesSoFar, [1, 2], 'each line is on disk before the next event');
  await lastValueFrom(from(events.slice(0, 1)).pipe(recordJsonl(path)));
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
  assert.deepEqual(lines.map((l) => JSON.parse(l)), [...events, events[0]]);

  const recorder = new JsonlRecorder(path);
  await lastValueFrom(from(events).pipe(recordJsonl(recorder)));
  recorder.write(events[0]);
  recorder.close();
  assert.equal(readFileSync(path, 'utf8').trimEnd().split('\n').length, 3, 'a recorder truncates by default and stays open across streams');
  assert.throws(() => recorder.write(events[0]), /closed/);
});
