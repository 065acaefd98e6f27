// The live task-tree display of `itinera run` on a fake stderr: a redrawn tree on a terminal, a log otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Channels, defineTaskTree, method, skill, task, type EpisodeEvent, type Planner } from '@itinera/core';
import { HierarchicalPlanner } from '@itinera/hierarchy';
import { taskTreeDisplay } from '../packages/cli/src/task-tree-display.js';

const go = (name: string) => skill({ name, budget: 5, subgoal: () => ({}), success: () => false });
const tree = defineTaskTree({ name: 'toy', channels: [], root: task('commute', [method('elevator', [go('call'), go('ride')]), method('ramp', [go('walk')])]) });
const planner = new HierarchicalPlanner({ tree, low: { name: 'low', plan: () => ({ action: () => new Float64Array(0) }), reset() {}, dispose() {} }, channels: new Channels([]), withSubgoal: (s) => s });

function fakeStream(isTTY: boolean): NodeJS.WriteStream & { text: string } {
  const stream = { isTTY, text: '', write: (chunk: string) => ((stream.text += chunk), true) };
  return stream as unknown as NodeJS.WriteStream & { text: string };
}

const events: EpisodeEvent[] = [
  { type: 'reset', t: 0, step: 0, scenario: 'toy-v1', robot: 'rover', planner: 'hierarchical', seed: 4 },
  { type: 'subgoal-start', t: 0, step: 0, name: 'commute', level: 2 },
  { type: 'subgoal-start', t: 0, step: 0, name: 'elevator', level: 2 },
  { type: 'subgoal-start', t: 0, step: 0, name: 'call', level: 2 },
  { type: 'subgoal-failed', t: 3, step: 150, name: 'call', level: 2, reason: 'out of service' },
  { type: 'replan', t: 3, step: 150, level: 2, reason: 'skill-failed' },
  { type: 'subgoal-start', t: 3, step: 150, name: 'walk', level: 2 },
];

test('on a terminal the whole tree is redrawn in place with marks, the active time and the latest replans', () => {
  const stream = fakeStream(true);
  const display = taskTreeDisplay(planner, stream)!;
  events.forEach((e) => display.event(e));
  const frame = stream.text.slice(stream.text.lastIndexOf('toy-v1 · seed 4')).replace(/\x1b\[2K/g, '');
  assert.match(frame, /✘ call {2}— out of service/);
  assert.match(frame, /▶ walk {2}\(0\.0 s\)/);
  assert.match(frame, /· ride/);
  assert.match(frame, /replans: L2 skill-failed @3\.0s/);
  assert.ok(/\x1b\[\d+F/.test(stream.text), 'later frames move the cursor up over the previous one');
});

test('elsewhere each change is one log line', () => {
  const stream = fakeStream(false);
  const display = taskTreeDisplay(planner, stream)!;
  events.forEach((e) => display.event(e));
  assert.deepEqual(stream.text.trim().split('\n'), [
    '[  0.00 s] ▶ commute',
    '[  0.00 s] ▶ elevator',
    '[  0.00 s] ▶ call',
    '[  3.00 s] ✘ call — out of service',
    '[  3.00 s]   replan L2: skill-failed',
    '[  3.00 s] ▶ walk',
  ]);
});

test('planners without a task tree get no display', () => {
  const flat: Planner = { name: 'mppi', plan: () => ({ action: () => new Float64Array(0) }), reset() {}, dispose() {} };
  assert.equal(taskTreeDisplay(flat, fakeStream(true)), undefined);
});
