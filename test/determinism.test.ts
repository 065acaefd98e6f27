// Same seed, same episode: fingerprints of recorded episodes (every event, viewer data included, timing and file
// locations aside) made on main before the seams of issue 14 were moved. A change that alters a trajectory, a plan,
// a subgoal or a replan changes its fingerprint; one that only moves code does not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = join(import.meta.dirname, '..', 'packages', 'cli', 'bin', 'itinera.js');
/** Wall-clock timings, and where the robot file was read from. */
const VARYING = new Set(['ms', 'wallMs', 'planMs', 'source']);

function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => !VARYING.has(k)).map(([k, v]) => [k, strip(v)]));
}

/** Readings recorded since the fingerprints were made (issue 15): surprise events, a replan's surprise value. */
function withoutReadings(event: Record<string, unknown>): Record<string, unknown> | undefined {
  if (event.type === 'surprise') return undefined;
  const { surprise: _, ...rest } = event;
  return event.type === 'replan' ? rest : event;
}

/** sha256 of the recording's events with the varying fields and the later readings removed. */
function fingerprint(jsonl: string): string {
  const events = jsonl.split('\n').filter(Boolean).map((line) => withoutReadings(JSON.parse(line)));
  const lines = events.filter((e) => e !== undefined).map((event) => JSON.stringify(strip(event)));
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

/** The recording's fingerprint and event count (readings aside), and how many steps' surprise it recorded per level. */
function recordedFingerprint(...args: string[]): { fingerprint: string; events: number; readings: Record<string, number> } {
  const dir = mkdtempSync(join(tmpdir(), 'itinera-determinism-'));
  try {
    const file = join(dir, 'episode.jsonl');
    const r = spawnSync(process.execPath, [BIN, 'run', ...args, '--record', file, '--json'], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n').filter(Boolean);
    const surprise = lines.filter((line) => line.startsWith('{"type":"surprise"'));
    const readings: Record<string, number> = {};
    for (const line of surprise) for (const level of Object.keys(JSON.parse(line).levels)) readings[level] = (readings[level] ?? 0) + 1;
    return { fingerprint: fingerprint(text), events: lines.length - surprise.length, readings };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('reach seed 0 with MPPI (8 steps) records the same episode as before', { timeout: 120_000 }, () => {
  assert.deepEqual(recordedFingerprint('--sim', 'reach-v1', '--planner', 'mppi', '--seed', '0', '--sim-opt', 'maxSteps=8'), { fingerprint: 'e2f96c43db1da0fa7b1eb19bbcdc135798b1400fa82b22cc30cb59233f060e8f', events: 27, readings: {} });
});

test('reach seed 0 with MPPI on 2 threads (parallel rollouts) records the same episode as one thread', { timeout: 120_000 }, () => {
  assert.deepEqual(recordedFingerprint('--sim', 'reach-v1', '--planner', 'mppi', '--seed', '0', '--sim-opt', 'maxSteps=8', '--threads', '2'), { fingerprint: 'e2f96c43db1da0fa7b1eb19bbcdc135798b1400fa82b22cc30cb59233f060e8f', events: 27, readings: {} });
});

test('commute seed 0 with the simulator hierarchical preset (400 steps) records the same episode as before', { timeout: 120_000 }, () => {
  const { readings, ...recorded } = recordedFingerprint('--planner', 'rover-hierarchical', '--seed', '0', '--sim-opt', 'maxSteps=400');
  assert.deepEqual(recorded, { fingerprint: '4d6d4539b05f3c4deb03815c6cd3d8d1e60d2c28b8c63700ee44aaadab6efc0b', events: 682 });
  // The learned level 1 measures its surprise while it has waypoints to compare; the simulator at level 0 has none.
  assert.deepEqual(Object.keys(readings), ['1']);
  assert.ok(readings[1] > 50, `steps with a level-1 reading: ${readings[1]}`);
});

test('commute seed 0 on the default all-learned preset (400 steps) records the same episode as before', { timeout: 120_000 }, () => {
  const { readings, ...recorded } = recordedFingerprint('--seed', '0', '--sim-opt', 'maxSteps=400');
  assert.deepEqual(recorded, { fingerprint: 'f7612c25f2ecd49b5e1bdc9e4906e0932fb3341cff6796c7549251bc6c7ddfec', events: 1214 });
  // Both learned levels measure their surprise: level 0 every step, level 1 while it has waypoints.
  assert.deepEqual(Object.keys(readings), ['0', '1']);
});

test('commute seed 0 with the simulator hierarchical preset on 2 threads records the same episode as one thread', { timeout: 120_000 }, () => {
  const { readings: _, ...recorded } = recordedFingerprint('--planner', 'rover-hierarchical', '--seed', '0', '--sim-opt', 'maxSteps=400', '--threads', '2');
  assert.deepEqual(recorded, { fingerprint: '4d6d4539b05f3c4deb03815c6cd3d8d1e60d2c28b8c63700ee44aaadab6efc0b', events: 682 });
});
