import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = join(import.meta.dirname, '..', 'packages', 'cli', 'bin', 'itinera.js');

function itinera(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('run --json prints exactly one JSON summary with the documented fields', () => {
  const r = itinera('run', '--sim', 'reach', '--robot', 'reacher', '--planner', 'random', '--episodes', '3', '--seed', '5', '--json');
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 1);
  const s = JSON.parse(lines[0]);
  for (const key of ['scenario', 'robot', 'planner', 'model', 'backend', 'successRate', 'episodes']) assert.ok(key in s, key);
  assert.equal(s.scenario, 'reach-v1');
  assert.equal(s.robot, 'reacher');
  assert.equal(s.planner, 'random');
  assert.equal(s.episodes.length, 3);
  assert.deepEqual(s.episodes.map((e: { seed: number }) => e.seed), [5, 6, 7]);
  for (const e of s.episodes) {
    for (const key of ['seed', 'success', 'steps', 'simTime', 'wallMs', 'planMs', 'replans', 'failure', 'subgoals']) assert.ok(key in e, key);
    assert.ok(e.steps > 0);
    assert.ok(typeof e.planMs.mean === 'number' && typeof e.planMs.p95 === 'number');
  }
  assert.match(r.stderr, /episode 3\/3/, 'progress goes to stderr');
});

test('run is deterministic: the same seed gives the same episodes and the same recording', () => {
  const dir = mkdtempSync(join(tmpdir(), 'itinera-'));
  const run = (file: string) => itinera('run', '--sim', 'reach', '--planner', 'random', '--episodes', '2', '--seed', '11', '--json', '--record', join(dir, file));
  const a = JSON.parse(run('a.jsonl').stdout);
  const b = JSON.parse(run('b.jsonl').stdout);
  const strip = (s: { episodes: Array<Record<string, unknown>> }) => s.episodes.map(({ wallMs, planMs, ...rest }) => rest);
  assert.deepEqual(strip(a), strip(b));
  const events = (f: string) =>
    readFileSync(join(dir, f), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((e) => e.type !== 'plan');
  const ea = events('a.jsonl');
  assert.deepEqual(ea, events('b.jsonl'));
  assert.equal(ea[0].type, 'reset');
  assert.equal(ea.filter((e) => e.type === 'done').length, 2);
});

test('run without a scenario or planner runs the flagship: commute-v1, the rover, the hierarchical planner, its task tree live on stderr', () => {
  // Cut short (a whole commute takes minutes): the defaults are what is checked, not the outcome.
  const r = itinera('run', '--sim-opt', 'maxSteps=150');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /commute-v1 · robot rover · planner rover-hierarchical/);
  assert.match(r.stdout, /success rate/);
  assert.match(r.stderr, /▶ commute[\s\S]*▶ leave-office/);
});

test('list names the built-in robots, sims and planners', () => {
  assert.match(itinera('list', 'robots').stdout, /reacher[\s\S]*rover|rover[\s\S]*reacher/);
  assert.match(itinera('list', 'robots').stdout, /ant/);
  assert.match(itinera('list', 'sims').stdout, /reach-v1/);
  const planners = itinera('list', 'planners').stdout;
  assert.match(planners, /zero/);
  assert.match(planners, /random/);
});

test('check-robot prints a summary of a valid robot', () => {
  const r = itinera('check-robot', join(import.meta.dirname, '..', 'configs', 'robots', 'ant.yaml'));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /robot 'ant' is valid/);
  assert.match(r.stdout, /actuators\s+8/);
  assert.match(r.stdout, /dof\s+14/);
});

test('check-robot on a broken file exits 1 with readable lines naming file and element, no stack trace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'itinera-'));
  const file = join(dir, 'bad.yaml');
  const good = readFileSync(join(import.meta.dirname, '..', 'configs', 'robots', 'reacher.yaml'), 'utf8');
  writeFileSync(file, good.replace(/mass: [0-9.]+/, 'mass: -2'));
  const r = itinera('check-robot', file);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /bad\.yaml/);
  assert.match(r.stderr, /mass/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
});

test('bad arguments end with one clear line and a non-zero exit code', () => {
  for (const args of [
    ['run', '--sim', 'nowhere'],
    ['run', '--planner', 'teleport'],
    ['run', '--robot', 'nobody'],
    ['run', '--episodes', '0'],
    ['run', '--sim', 'reach', '--sim-opt', 'tolerance=-1'],
    ['run', '--planner', 'random', '--opt', 'scale=7'],
    ['run', '--planner', 'mppi', '--opt', 'bogus=1'],
    ['run', '--no-such-flag'],
    ['frobnicate'],
  ]) {
    const r = itinera(...args);
    assert.equal(r.code, 1, `${args.join(' ')} exited ${r.code}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /^itinera: /);
  }
});
