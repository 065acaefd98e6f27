// The progress of `itinera run` on stderr. On a terminal (an 80×24 headless xterm standing in for one): a compact
// task-tree panel redrawn in place, at most one copy per episode in the scrollback, every node closed at the end,
// the summary intact below. Off a terminal: the tree's changes and a status line every few seconds, flat planners too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import xterm from '@xterm/headless';
import type { EpisodeEvent, EpisodeSummary, Planner } from '@itinera/core';
import { roomsTree } from '@itinera/sim-rooms';
import { runProgress, STATUS_EVERY_MS } from '@itinera/cli/progress';
import { taskTreeOf } from '@itinera/cli/task-tree-display';
import { layOutPanel, TreeMarks, treeRows } from '@itinera/cli/task-tree-panel';

const LABEL = 'rooms-v1 · rover · rover-hierarchical';

/** A rooms episode as the hierarchical planner reports it: doorway 2's left door is closed, so its right one is taken. */
function roomsEpisode(seed: number, success: boolean): EpisodeEvent[] {
  const events: EpisodeEvent[] = [];
  let step = 0;
  const at = (e: Record<string, unknown>) => events.push({ t: step * 0.02, step, ...e } as EpisodeEvent);
  const run = (steps: number) => {
    for (let i = 0; i < steps; i++, step++) {
      at({ type: 'tick', action: [0, 0], cost: 10 - step / 100 });
      if (step % 3 === 0) at({ type: 'replan', level: 0, reason: 'periodic' });
    }
  };
  const start = (name: string) => at({ type: 'subgoal-start', name, level: 2 });
  const done = (name: string) => at({ type: 'subgoal-done', name, level: 2 });
  at({ type: 'reset', scenario: 'rooms-v1', robot: 'rover', planner: 'rover-hierarchical', seed });
  at({ type: 'replan', level: 0, reason: 'start' });
  ['reach-goal', 'through-doorways'].forEach(start);
  for (const w of [1, 2, 3]) {
    start(`cross-${w}`);
    if (w === 2) {
      ['door-2-left', 'approach-2-left'].forEach(start);
      run(10);
      at({ type: 'subgoal-failed', name: 'approach-2-left', level: 2, reason: 'door closed' });
      at({ type: 'subgoal-failed', name: 'door-2-left', level: 2, reason: 'approach-2-left: door closed' });
      at({ type: 'replan', level: 2, reason: 'skill-failed' });
    }
    const side = w === 2 ? 'right' : 'left';
    [`door-${w}-${side}`, `approach-${w}-${side}`].forEach(start);
    run(40);
    done(`approach-${w}-${side}`);
    start(`pass-${w}-${side}`);
    run(20);
    [`pass-${w}-${side}`, `door-${w}-${side}`, `cross-${w}`].forEach(done);
    at({ type: 'replan', level: 2, reason: 'skill-done' });
  }
  start('goal-pad');
  run(30);
  // The scenario ends the episode before the tree sees goal-pad done.
  at({ type: 'done', success, failure: success ? undefined : 'timeout', terminated: success, truncated: !success });
  return events;
}

const summary = (seed: number, success: boolean, steps: number): EpisodeSummary =>
  ({ seed, success, steps, simTime: steps * 0.02, wallMs: 1, planMs: { mean: 1, p95: 1 }, replans: 0, failure: success ? null : 'timeout', subgoals: [] }) as EpisodeSummary;

/** A headless xterm of the given size as stderr; `screen()` is every line written, scrollback included. */
function fakeTerminal(columns: number, rows: number) {
  const term = new xterm.Terminal({ cols: columns, rows, scrollback: 100_000, convertEol: true, allowProposedApi: true });
  const stream = { isTTY: true, columns, rows, write: (chunk: string) => (term.write(chunk), true) } as unknown as NodeJS.WriteStream;
  const screen = async () => {
    await new Promise<void>((resolve) => term.write('', resolve));
    const buffer = term.buffer.active;
    const lines = Array.from({ length: buffer.length }, (_, i) => buffer.getLine(i)!);
    assert.ok(lines.every((l) => !l.isWrapped), 'no line wraps: a wrapped line is miscounted on the next redraw');
    return lines.map((l) => l.translateToString(true)).join('\n').trimEnd().split('\n');
  };
  return { stream, screen };
}

/** Plays episodes into the progress on a fake terminal, then the summary the CLI prints on stdout. */
async function playOnTerminal(columns: number, rows: number, outcomes: boolean[]): Promise<string[]> {
  const { stream, screen } = fakeTerminal(columns, rows);
  let now = 0;
  // 50 ms between events, so the panel is redrawn as often as it ever is.
  const progress = runProgress({ total: outcomes.length, label: LABEL, tree: roomsTree, stream, clock: () => now });
  outcomes.forEach((success, seed) => {
    const events = roomsEpisode(seed, success);
    events.forEach((e) => ((now += 50), progress.event(e)));
    progress.episodeDone(summary(seed, success, events.at(-1)!.step));
  });
  progress.stop();
  stream.write('success rate 0.50 (1/2)\n');
  return screen();
}

const copies = (lines: string[], header: string) => lines.filter((l) => l.startsWith(header)).length;

test('on an 80×24 terminal each episode leaves one closed copy of the panel, and the summary prints below it', async () => {
  const lines = await playOnTerminal(80, 24, [true, false]);
  assert.equal(copies(lines, `${LABEL} · episode 1/2`), 1, lines.join('\n'));
  assert.equal(copies(lines, `${LABEL} · episode 2/2`), 1, lines.join('\n'));
  assert.equal(lines.at(-1), 'success rate 0.50 (1/2)');
  assert.ok(lines.every((l) => l.length < 80));
  const first = lines.slice(lines.findIndex((l) => l.includes('episode 1/2')), lines.findIndex((l) => l.includes('episode 2/2')));
  const second = lines.slice(lines.findIndex((l) => l.includes('episode 2/2')), -1);
  assert.match(first[0], /seed 0 · success$/);
  assert.ok(first.some((l) => /^✔ reach-goal$/.test(l)) && first.some((l) => /✔ goal-pad$/.test(l)), first.join('\n'));
  assert.match(second[0], /seed 1 · failed \(timeout\)$/);
  assert.ok(second.some((l) => /^✘ reach-goal {2}— timeout$/.test(l)) && second.some((l) => /✘ goal-pad {2}— timeout$/.test(l)), second.join('\n'));
  assert.ok(!lines.some((l) => l.includes('▶')), 'no node is left active');
  assert.match(first.at(-1)!, /^step 220 · t 4\.40 s · replans L0 74 L2 4 · cost /);
});

test('on a terminal too short for the tree the panel folds to the screen and still leaves one copy per episode', async () => {
  for (const rows of [6, 12]) {
    const lines = await playOnTerminal(50, rows, [true, false]);
    assert.equal(copies(lines, `${LABEL.slice(0, 20)}`), 2, `${rows} rows:\n${lines.join('\n')}`);
    assert.equal(lines.at(-1), 'success rate 0.50 (1/2)');
  }
});

test('the panel never exceeds its height, keeps the active subgoal in view, and counts what it folds', () => {
  const rows = treeRows(roomsTree);
  assert.equal(rows.length, 42);
  const marks = new TreeMarks();
  for (const e of roomsEpisode(0, true)) {
    marks.event(e);
    if (e.type !== 'subgoal-start') continue;
    for (let height = 1; height <= 45; height++) {
      const panel = layOutPanel(rows, marks, e.t, height);
      assert.ok(panel.lines.length <= height, `${panel.lines.length} lines in ${height}`);
      assert.ok(panel.lines.some((l) => l.includes(`▶ ${e.name}`)), `${e.name} in view at height ${height}`);
      assert.ok(panel.folded >= rows.length - panel.lines.length, 'every node not shown is counted as folded');
    }
  }
  // With room to spare, only finished and untried branches fold: the path to the active skill and its siblings show.
  const marksAt = new TreeMarks();
  const events = roomsEpisode(0, true);
  events.slice(0, events.findIndex((e) => e.type === 'subgoal-start' && e.name === 'pass-2-right') + 1).forEach((e) => marksAt.event(e));
  assert.deepEqual(layOutPanel(rows, marksAt, 5, 30).lines, [
    '▶ reach-goal  (5.0 s)',
    '  ▶ through-doorways  (5.0 s)',
    '    ✔ cross-1',
    '    ▶ cross-2  (3.8 s)',
    '      ✘ door-2-left  — approach-2-left: door closed',
    '      ▶ door-2-right  (3.6 s)',
    '        ✔ approach-2-right',
    '        ▶ pass-2-right  (2.8 s)',
    '      · door-2-left-retry',
    '      · door-2-right-retry',
    '    · cross-3',
    '    · goal-pad',
  ]);
  // Tighter, runs of untried siblings fold into one line; then lines off the path go, untried first.
  assert.deepEqual(layOutPanel(rows, marksAt, 5, 11).lines.slice(8), ['      · 2 untried: door-2-left-retry, door-2-right-retry', '    · 2 untried: cross-3, goal-pad']);
  assert.deepEqual(layOutPanel(rows, marksAt, 5, 8).lines, [
    '▶ reach-goal  (5.0 s)',
    '  ▶ through-doorways  (5.0 s)',
    '    ✔ cross-1',
    '    ▶ cross-2  (3.8 s)',
    '      ✘ door-2-left  — approach-2-left: door closed',
    '      ▶ door-2-right  (3.6 s)',
    '        ✔ approach-2-right',
    '        ▶ pass-2-right  (2.8 s)',
  ]);
});

/** A writable that keeps what is written, not a terminal. */
function logStream() {
  const stream = { isTTY: false, text: '', write: (chunk: string) => ((stream.text += chunk), true) };
  return stream as unknown as NodeJS.WriteStream & { text: string };
}

test('off a terminal: the tree changes, a status line every few seconds, the nodes closed at the end, a line per episode', () => {
  const stream = logStream();
  let now = 0;
  const progress = runProgress({ total: 1, label: LABEL, tree: roomsTree, stream, clock: () => now });
  const events = roomsEpisode(0, true);
  events.forEach((e) => ((now += 40), progress.event(e)));
  progress.episodeDone(summary(0, true, events.at(-1)!.step));
  const lines = stream.text.trim().split('\n');
  const status = lines.filter((l) => / · step \d+ · /.test(l));
  // One status line at the first step, then one per STATUS_EVERY_MS of wall time (the clock moves 40 ms an event).
  const ticks = events.filter((e) => e.type === 'tick').length;
  assert.ok(Math.abs(status.length - Math.ceil((events.length * 40) / STATUS_EVERY_MS)) <= 1, `${status.length} status lines for ${ticks} steps`);
  assert.match(status[0], /^rooms-v1 · rover · rover-hierarchical: episode 1\/1 seed 0 · step 0 · t 0\.00 s · subgoal approach-1-left · replans 0 · cost 10\.0$/);
  assert.ok(lines.includes('[  1.40 s] ✘ approach-2-left  — door closed'), stream.text);
  assert.deepEqual(lines.slice(-4), ['[  4.40 s] ✔ goal-pad', '[  4.40 s] ✔ through-doorways', '[  4.40 s] ✔ reach-goal', `${LABEL}: episode 1/1 seed 0 success in 220 steps · success 1.00`]);
});

test('flat planners get status lines off a terminal too (itinera run on a short reach episode)', () => {
  const bin = join(import.meta.dirname, '..', 'packages', 'cli', 'bin', 'itinera.js');
  const r = spawnSync(process.execPath, [bin, 'run', '--sim', 'reach-v1', '--planner', 'mppi', '--opt', 'samples=8', '--opt', 'horizon=10'], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stderr.trim().split('\n');
  const status = lines.findIndex((l) => /^reach-v1 · reacher · mppi: episode 1\/1 seed 0 · step \d+ · t \d+\.\d\d s · replans (0|L0 \d+) · cost \d/.test(l));
  assert.ok(status >= 0, r.stderr);
  assert.ok(lines.findIndex((l) => /episode 1\/1 seed 0 (success|failed)/.test(l)) > status, 'the status line comes while the episode runs');
});

test('planners without a task tree get no panel', () => {
  const flat: Planner = { name: 'mppi', plan: () => ({ action: () => new Float64Array(0) }), reset() {}, dispose() {} };
  assert.equal(taskTreeOf(flat), undefined);
});
