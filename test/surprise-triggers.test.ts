// Surprise at every level, in virtual time: the value a surprise replan carries, the level-0 one-step surprise a
// learned model declares (DynamicsModel.surprise), and the per-step surprise events a recording keeps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { DynamicsModel, EpisodeEvent } from '@itinera/core';
import { controlSurprise, mergeTriggers, replanEvery, replanOnSurprise, surpriseEvents, type ReplanTrigger, type Tick } from '@itinera/runtime';

const scheduler = () => new TestScheduler((actual, expected) => assert.deepEqual(actual, expected));
const marbles = 'abcdefghij';
/** Tick n observes x; it was reached by `action` (none at reset). */
const tick = (step: number, x: number, action?: number): Tick => ({ step, time: step * 0.5, observation: Float64Array.of(x), ...(action !== undefined && { action: Float64Array.of(action) }) });
const show = (t: ReplanTrigger) => `${t.reason}@${t.tick.step}/L${t.level}=${t.surprise && Number(t.surprise.toPrecision(6))}`;

/** A learned model that predicts x + a: its one-step error is how far the observation landed from that. */
function lineModel(threshold: number, cooldown: number, calls: number[] = []): DynamicsModel {
  return {
    kind: 'learned',
    differentiable: false,
    surprise: { threshold, cooldown, error: (previous, action, observed) => (calls.push(observed[0]), Math.abs(observed[0] - previous[0] - action[0])) },
    rollout: () => ({ costs: new Float64Array(0) }),
    free() {},
  };
}

/** Ticks where x follows x + 1 except where `kicks` add to it. */
function ticks(count: number, kicks: Record<number, number>): Record<string, Tick> {
  let x = 0;
  return Object.fromEntries(
    Array.from({ length: count }, (_, i) => {
      if (i > 0) x += 1 + (kicks[i] ?? 0);
      return [marbles[i], tick(i, x, i > 0 ? 1 : undefined)];
    }),
  );
}

test('a surprise replan carries the value that caused it', () => {
  scheduler().run(({ cold, expectObservable }) => {
    const gaps = Object.fromEntries([0.1, 0.9, 0.3, 2].map((v, i) => [marbles[i], tick(i, v)]));
    const out = cold('abcd|', gaps).pipe(replanOnSurprise((t) => t.observation[0], { threshold: 0.5, cooldown: 2 }), map(show));
    expectObservable(out).toBe('-b-d|', { b: 'surprise@1/L1=0.9', d: 'surprise@3/L1=2' });
  });
});

test("a learned model's one-step error replans level 0 when it passes the threshold, then waits out the cooldown", () => {
  scheduler().run(({ cold, expectObservable }) => {
    // Kicks at steps 2, 3 (within the cooldown) and 5.
    const out = cold('abcdefg|', ticks(7, { 2: 0.8, 3: 0.9, 5: -0.7 })).pipe(controlSurprise(lineModel(0.5, 2))!.trigger, map(show));
    expectObservable(out).toBe('--c--f-|', { c: 'surprise@2/L0=0.8', f: 'surprise@5/L0=0.7' });
  });
});

test('level-0 surprise leaves the steps a periodic plan covers to it, but still reads every step', () => {
  const calls: number[] = [];
  scheduler().run(({ cold, expectObservable }) => {
    const every = 3;
    const control = controlSurprise(lineModel(0.5, 1, calls), every)!;
    // A kick at step 3 (a periodic step: no surprise replan) and at step 4 (replanned on surprise).
    const out = cold('abcdef|', ticks(6, { 3: 2, 4: 2 })).pipe(mergeTriggers(replanEvery(every), control.trigger), map(show));
    expectObservable(out).toBe('---de-|', { d: 'periodic@3/L0=undefined', e: 'surprise@4/L0=2' });
  });
  assert.equal(calls.length, 5, 'every step after reset is compared with its previous one');
});

test('a model without surprise has no level-0 trigger', () => {
  const simulator: DynamicsModel = { kind: 'simulator', differentiable: false, rollout: () => ({ costs: new Float64Array(0) }), free() {} };
  assert.equal(controlSurprise(simulator), undefined);
  assert.equal(controlSurprise(undefined), undefined);
});

test('surprise events record each level with a reading, rounded, and skip steps where none has one', () => {
  scheduler().run(({ cold, expectObservable }) => {
    const control = controlSurprise(lineModel(0.5, 1))!;
    const level1 = { level: 1, read: (t: Tick) => (t.step >= 2 ? t.step / 3 : NaN) };
    const out = cold('abc|', ticks(3, { 1: 0.123456 })).pipe(surpriseEvents([control.reading, level1]));
    const event = (step: number, levels: Record<string, number>): EpisodeEvent => ({ type: 'surprise', t: step * 0.5, step, levels });
    expectObservable(out).toBe('-bc|', { b: event(1, { 0: 0.123 }), c: event(2, { 0: 0, 1: 0.667 }) });
  });
});
