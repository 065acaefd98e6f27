// The level-1 and task-level replanning triggers, in virtual time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { from, lastValueFrom, map, Subject, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { EpisodeEvent } from '@itinera/core';
import {
  mergeTriggers,
  replanAtStart,
  replanOnSkill,
  replanOnStall,
  replanOnSurprise,
  replanOnWaypointReached,
  replanOnWorldEvent,
  summariseEpisode,
  withSideEvents,
  type ReplanTrigger,
  type Tick,
} from '@itinera/runtime';

const scheduler = () => new TestScheduler((actual, expected) => assert.deepEqual(actual, expected));
/** Tick at step n; the observation's one value is what each trigger reads. */
const tick = (step: number, value: number): Tick => ({ step, time: step * 0.5, observation: Float64Array.of(value) });
const ticks = (values: number[]): Record<string, Tick> => Object.fromEntries(values.map((v, i) => ['abcdefghij'[i], tick(i, v)]));
const show = (t: ReplanTrigger) => `${t.reason}@${t.tick.step}/L${t.level}`;
const value = (t: Tick) => t.observation[0];

test('surprise above the threshold replans level 1, then waits out its cooldown', () => {
  scheduler().run(({ cold, expectObservable }) => {
    const gaps = ticks([0.1, 0.9, 1.2, 0.2, 0.8, 0.1, 0.9]);
    const out = cold('abcdefg|', gaps).pipe(replanOnSurprise(value, { threshold: 0.5, cooldown: 3 }), map(show));
    // b fires; c is within the cooldown; e (3 steps after b) fires; g (2 steps after e) is within it again.
    expectObservable(out).toBe('-b--e--|', { b: 'surprise@1/L1', e: 'surprise@4/L1' });
  });
  assert.throws(() => replanOnSurprise(value, { threshold: 0 }), /positive/);
});

test('reaching a waypoint replans level 1 at that tick', () => {
  scheduler().run(({ cold, expectObservable }) => {
    const out = cold('abcd|', ticks([0, 1, 0, 1])).pipe(replanOnWaypointReached((t) => value(t) > 0), map(show));
    expectObservable(out).toBe('-b-d|', { b: 'waypoint-reached@1/L1', d: 'waypoint-reached@3/L1' });
  });
});

test('a stall (too little progress over the window while active) replans level 1 and re-arms', () => {
  scheduler().run(({ cold, expectObservable }) => {
    // Positions along x, one tick every 0.5 s; window 1 s, minimum progress 0.2 m.
    const xs = ticks([0, 0.5, 1.0, 1.05, 1.1, 1.1, 1.1, 2, 2, 2]);
    const out = cold('abcdefghij|', xs).pipe(replanOnStall((t) => [value(t)], { window: 1, minProgress: 0.2 }), map(show));
    // c→e moved 0.1 in 1 s: stall at e; the window restarts at f: f→h moved 0.9, h→j none: stall at j.
    expectObservable(out).toBe('----e----j|', { e: 'stall@4/L1', j: 'stall@9/L1' });
  });
  scheduler().run(({ cold, expectObservable }) => {
    const out = cold('abcde|', ticks([0, 0, 0, 0, 0])).pipe(replanOnStall((t) => [value(t)], { window: 1, minProgress: 0.2, active: () => false }), map(show));
    expectObservable(out).toBe('-----|');
  });
});

test('skill success, failure and timeout replan the task level with their reason', () => {
  const signals = ['', 'skill-done', '', 'skill-failed', 'skill-timeout'];
  scheduler().run(({ cold, expectObservable }) => {
    const out = cold('abcde|', ticks([0, 1, 2, 3, 4])).pipe(replanOnSkill((t) => signals[value(t)] || undefined), map(show));
    expectObservable(out).toBe('-b-de|', { b: 'skill-done@1/L2', d: 'skill-failed@3/L2', e: 'skill-timeout@4/L2' });
  });
});

test('world events replan the task level, naming what happened', () => {
  const happened: string[][] = [[], ['taxi-stopped'], [], ['door-closed', 'person-ahead']];
  scheduler().run(({ cold, expectObservable }) => {
    const out = cold('abcd|', ticks([0, 1, 2, 3])).pipe(replanOnWorldEvent((t) => happened[value(t)]), map(show));
    expectObservable(out).toBe('-b-d|', { b: 'world-event:taxi-stopped@1/L2', d: 'world-event:door-closed,person-ahead@3/L2' });
  });
});

test('level-1 and task-level triggers merge with the start trigger in source order', () => {
  scheduler().run(({ cold, expectObservable }) => {
    const out = cold('ab--c|', ticks([0, 1, 0])).pipe(
      mergeTriggers(replanAtStart(), replanOnSkill((t) => (value(t) ? 'skill-done' : undefined)), replanOnWaypointReached((t) => value(t) > 0)),
      map(show),
    );
    expectObservable(out).toBe('s(xy)|', { s: 'start@0/L0', x: 'skill-done@1/L2', y: 'waypoint-reached@1/L1' });
  });
});

test('side events join the episode stream while it runs and fill the summary subgoals', async () => {
  const side = new Subject<EpisodeEvent>();
  const main = new Subject<EpisodeEvent>();
  const collected = lastValueFrom(main.pipe(withSideEvents(side), toArray()));
  main.next({ type: 'reset', t: 0, step: 0, scenario: 's', robot: 'r', planner: 'p', seed: 3 });
  side.next({ type: 'subgoal-start', t: 0, step: 0, name: 'a', level: 2 });
  side.next({ type: 'subgoal-done', t: 1, step: 10, name: 'a', level: 2 });
  side.next({ type: 'subgoal-start', t: 1, step: 10, name: 'b', level: 2 });
  main.next({ type: 'tick', t: 2, step: 20, action: [], cost: 0 });
  main.complete();
  side.next({ type: 'subgoal-done', t: 3, step: 30, name: 'late', level: 2 });
  const events = await collected;
  assert.deepEqual(events.map((e) => e.type), ['reset', 'subgoal-start', 'subgoal-done', 'subgoal-start', 'tick']);
  const summary = await lastValueFrom(from(events).pipe(summariseEpisode()));
  assert.deepEqual(summary.subgoals, [
    { name: 'a', status: 'done', steps: 10 },
    { name: 'b', status: 'active', steps: 10 },
  ]);
});
