import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ItineraError, Registry, Rng, copyPlainData, parseOverrides, sumCost, type CostTerm } from '@itinera/core';

test('Rng: the same seed gives the same stream; different seeds differ', () => {
  const a = new Rng(42);
  const b = new Rng(42);
  const c = new Rng(43);
  const sa = Array.from({ length: 100 }, () => a.next());
  assert.deepEqual(sa, Array.from({ length: 100 }, () => b.next()));
  assert.notDeepEqual(sa, Array.from({ length: 100 }, () => c.next()));
  assert.ok(sa.every((x) => x >= 0 && x < 1));
});

test('Rng: normal draws have the right mean and spread; forks are independent of parent draws', () => {
  const rng = new Rng(1);
  const xs = Array.from({ length: 20000 }, () => rng.normal());
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const std = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
  assert.ok(Math.abs(mean) < 0.03, `mean ${mean}`);
  assert.ok(Math.abs(std - 1) < 0.03, `std ${std}`);
  const parent = new Rng(5);
  const before = parent.fork('x').next();
  parent.next();
  assert.equal(parent.fork('x').next(), before);
  assert.notEqual(parent.fork('y').next(), before);
});

test('Registry resolves a bare name to its newest version and names the known ones when unknown', () => {
  const reg = new Registry<{ name: string }>('sim').register({ name: 'reach-v1' }).register({ name: 'reach-v2' }).register({ name: 'push-v1' });
  assert.equal(reg.get('reach').name, 'reach-v2');
  assert.equal(reg.get('reach-v1').name, 'reach-v1');
  assert.throws(() => reg.get('fly'), (e: unknown) => e instanceof ItineraError && /unknown sim 'fly' \(known: push-v1, reach-v1, reach-v2\)/.test(e.message));
  assert.throws(() => reg.register({ name: 'push-v1' }), /already registered/);
});

test('sumCost weighs residual norms and reports guardrails separately', () => {
  const terms: CostTerm[] = [
    { name: 'distance', norm: 'quadratic', weight: 2 },
    { name: 'effort', norm: 'l1', weight: 0.5, guardrail: true },
  ];
  const c = sumCost(terms, { distance: [3, 4], effort: [-1, 2] });
  assert.equal(c.terms.distance, 25); // 2 · ½ · 25
  assert.equal(c.terms.effort, 1.5);
  assert.equal(c.total, 26.5);
  assert.deepEqual(c.guardrails, { effort: 1.5 });
  assert.throws(() => sumCost(terms, { distance: [1] }), /'effort' has no residual/);
});

test('parseOverrides reads numbers, booleans and strings, and rejects a pair without =', () => {
  assert.deepEqual(parseOverrides(['samples=256', 'warm=true', 'norm=l1', 'sigma=0.5'], '--opt'), { samples: 256, warm: true, norm: 'l1', sigma: 0.5 });
  assert.throws(() => parseOverrides(['samples'], '--opt'), /--opt: expected key=value, got 'samples'/);
});

test('copyPlainData copies task states deeply: nothing the copy shares can change the original', () => {
  const state = { target: [0.1, 0.2, 0.3], phase: 'reach', grip: new Float64Array([1, 2]), nested: { visited: [{ id: 1 }] }, gone: undefined, seen: new Map([['a', 1]]) };
  const copy = copyPlainData(state);
  assert.deepEqual(copy, state);
  copy.target[0] = 9;
  copy.grip[0] = 9;
  copy.nested.visited[0].id = 9;
  copy.seen.set('a', 9);
  assert.deepEqual(state.target, [0.1, 0.2, 0.3]);
  assert.equal(state.grip[0], 1);
  assert.equal(state.nested.visited[0].id, 1);
  assert.equal(state.seen.get('a'), 1, 'a Map goes through structuredClone');
  assert.ok('gone' in copy);
});

test('copyPlainData keeps what structuredClone keeps: an object reached twice is one copy, and cycles survive', () => {
  const goal = { x: 1, y: 2 };
  const state: { goals: Array<{ x: number; y: number }>; current: { x: number; y: number }; self?: unknown } = { goals: [goal, { x: 3, y: 4 }], current: goal };
  state.self = state;
  const copy = copyPlainData(state);
  assert.equal(copy.current, copy.goals[0], 'the alias is one object in the copy');
  assert.notEqual(copy.current, goal);
  assert.equal(copy.self, copy, 'the cycle points at the copy');
  copy.current.x = 9;
  assert.equal(copy.goals[0].x, 9);
  assert.equal(goal.x, 1);
});

test('copyPlainData refuses what structuredClone refuses and copies the odd cases as it does', () => {
  assert.throws(() => copyPlainData({ f: () => 1 }), /function is not plain data/);
  const buffer = Buffer.from([1, 2, 3]);
  const copied = copyPlainData({ buffer, parsed: JSON.parse('{"__proto__": {"x": 1}}') });
  copied.buffer[0] = 9;
  assert.equal(buffer[0], 1, "a Buffer's copy has memory of its own");
  assert.deepEqual(Object.keys(copied.parsed), ['__proto__'], "an own '__proto__' key stays a key");
  assert.equal(Object.getPrototypeOf(copied.parsed), Object.prototype);
});
