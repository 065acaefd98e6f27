// The importers' error contract, for tests: fn throws an ItineraError whose problems are one line each.
import assert from 'node:assert/strict';
import { isItineraError } from '@itinera/core';

/** The problem lines of the ItineraError fn throws; fails the test if it throws anything else or nothing. */
export function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    assert.ok(isItineraError(e), `expected an ItineraError, got ${String(e)}`);
    for (const line of e.problems) assert.ok(!line.includes('\n'), `problem spans lines: ${line}`);
    return e.problems;
  }
  assert.fail('expected an ItineraError');
}
