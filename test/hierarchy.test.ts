import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Channels, defineTaskTree, method, skill, task, type EnvSnapshot, type EpisodeEvent, type Planner, type PlanRequest, type Subgoal, type TaskTree } from '@itinera/core';
import { chooseTree, HierarchicalPlanner, TreeExecutor, WaypointPlanner, type SubgoalEvent } from '@itinera/hierarchy';
import { KinematicRoverModel, wheeledBase } from '@itinera/rover';

// A toy world read through named channels: x position, and whether the elevator works.
const channels = new Channels(['x', 'elevator.works']);
const at = (x: number, works: number, time: number, step = Math.round(time * 50)) => channels.situation(Float64Array.of(x, works), time, step);

const reach = (name: string, goal: number, budget = 10) =>
  skill({ name, budget, subgoal: () => ({ target: [goal, 0] }), success: (s) => s.get('x') >= goal });

function commuteLike(): TaskTree {
  return defineTaskTree({
    name: 'toy',
    channels: ['x', 'elevator.works'],
    root: task('commute', [
      method('down', [
        task('descend', [
          method('elevator', [
            skill({
              name: 'call-elevator',
              budget: 5,
              subgoal: () => ({ target: [1, 0] }),
              success: (s) => s.get('x') >= 1 && s.get('elevator.works') > 0,
              failure: (s) => (s.get('x') >= 1 && s.get('elevator.works') === 0 ? 'out of service' : undefined),
            }),
            reach('ride', 2),
          ]),
          method('ramp', [reach('take-ramp', 2)]),
        ]),
        reach('street', 3),
      ]),
    ]),
  });
}

const describe = (e: SubgoalEvent) => `${e.type.replace('subgoal-', '')} ${e.name}${e.type === 'subgoal-failed' ? ` (${e.reason})` : ''}`;

test('a task tree runs its first method while its skills succeed', () => {
  const events: SubgoalEvent[] = [];
  const ex = new TreeExecutor(commuteLike(), (e) => events.push(e));
  assert.equal(ex.update(at(0, 1, 0)), undefined);
  assert.deepEqual(ex.path, ['commute', 'down', 'descend', 'elevator', 'call-elevator']);
  assert.equal(ex.update(at(1, 1, 1)), 'skill-done');
  assert.equal(ex.skill?.name, 'ride');
  ex.update(at(2, 1, 2));
  assert.equal(ex.update(at(3, 1, 3)), 'tree-done');
  assert.equal(ex.status, 'done');
  assert.deepEqual(events.filter((e) => e.type !== 'subgoal-start').map(describe), [
    'done call-elevator', 'done ride', 'done elevator', 'done descend', 'done street', 'done down', 'done commute',
  ]);
  assert.ok(events.every((e) => e.level === 2));
});

test('a skill that fails makes the task fall back to its next method', () => {
  const events: SubgoalEvent[] = [];
  const ex = new TreeExecutor(commuteLike(), (e) => events.push(e));
  ex.update(at(0, 0, 0));
  assert.equal(ex.update(at(1, 0, 1)), 'skill-failed');
  assert.equal(ex.skill?.name, 'take-ramp');
  assert.deepEqual(ex.path, ['commute', 'down', 'descend', 'ramp', 'take-ramp']);
  assert.deepEqual(events.filter((e) => e.type === 'subgoal-failed').map(describe), [
    'failed call-elevator (out of service)',
    'failed elevator (call-elevator: out of service)',
  ]);
  ex.update(at(2, 0, 2));
  assert.equal(ex.update(at(3, 0, 3)), 'tree-done');
});

test('a skill that runs out of its time budget fails with timeout and the next method is tried', () => {
  const ex = new TreeExecutor(commuteLike(), () => {});
  ex.update(at(0, 1, 0));
  assert.equal(ex.update(at(0.5, 1, 4.9)), undefined);
  assert.equal(ex.update(at(0.5, 1, 5.1)), 'skill-timeout');
  assert.equal(ex.skill?.name, 'take-ramp');
});

test('when no method is left the failure climbs the tree and the root fails', () => {
  const events: SubgoalEvent[] = [];
  const tree = defineTaskTree({
    name: 'dead-end',
    channels: ['x'],
    root: task('root', [method('only', [skill({ name: 'hopeless', budget: 1, subgoal: () => ({}), success: () => false })])]),
  });
  const ex = new TreeExecutor(tree, (e) => events.push(e));
  ex.update(at(0, 0, 0));
  assert.equal(ex.update(at(0, 0, 2)), 'tree-failed');
  assert.equal(ex.status, 'failed');
  assert.deepEqual(events.filter((e) => e.type === 'subgoal-failed').map((e) => e.name), ['hopeless', 'only', 'root']);
});

test('method preconditions pick the applicable method; a skill already satisfied completes at once', () => {
  const tree = defineTaskTree({
    name: 'pre',
    channels: ['x', 'elevator.works'],
    root: task('descend', [method('elevator', [reach('ride', 2)], (s) => s.get('elevator.works') > 0), method('ramp', [reach('take-ramp', 2), reach('walk', 3)])]),
  });
  const ex = new TreeExecutor(tree, () => {});
  assert.equal(ex.update(at(2.5, 0, 0)), 'skill-done');
  assert.equal(ex.skill?.name, 'walk');
});

test('task trees reject duplicate names and missing budgets', () => {
  assert.throws(() => defineTaskTree({ name: 'dup', channels: [], root: task('a', [method('m', [reach('a', 1)])]) }), /'a' is used twice/);
  assert.throws(() => defineTaskTree({ name: 'nob', channels: [], root: task('a', [method('m', [reach('s', 1, 0)])]) }), /positive time budget/);
});

test("'auto' picks the one tree whose channels the env observes", () => {
  const toy = commuteLike();
  const other = defineTaskTree({ name: 'other', channels: ['y'], root: task('r', [method('m', [reach('s', 1)])]) });
  assert.equal(chooseTree([toy, other], 'auto', ['x', 'elevator.works', 'z']).name, 'toy');
  assert.throws(() => chooseTree([toy, other], 'auto', ['z']), /no task tree fits/);
  assert.throws(() => chooseTree([toy], 'toy', ['x']), /elevator\.works/);
});

/** A low-level planner that remembers the snapshots it was asked to plan from. */
function recordingLow(): Planner & { seen: EnvSnapshot[] } {
  const seen: EnvSnapshot[] = [];
  return { name: 'rec', seen, plan: (r: PlanRequest) => (seen.push(r.snapshot!), { action: () => new Float64Array(1) }), reset: () => {}, dispose: () => {} };
}
const withSubgoal = (snapshot: EnvSnapshot, subgoal: Subgoal) => ({ ...snapshot, subgoal }) as EnvSnapshot;
const subgoalOf = (s: EnvSnapshot) => (s as EnvSnapshot & { subgoal: Subgoal }).subgoal;

test('the hierarchical planner decorates any low-level planner: each plan carries the current skill as its subgoal', async () => {
  const low = recordingLow();
  const planner = new HierarchicalPlanner({ tree: commuteLike(), low, channels, withSubgoal });
  const events: EpisodeEvent[] = [];
  planner.onEvent((e) => events.push(e));
  planner.reset(0);
  const request = (x: number, works: number, step: number): PlanRequest => ({ observation: Float64Array.of(x, works), time: step * 0.02, step, snapshot: { kind: 'toy' } });
  await planner.plan(request(0, 0, 0));
  assert.deepEqual(subgoalOf(low.seen[0]).target, [1, 0]);
  await planner.plan(request(1, 0, 1));
  // The elevator is out: the planner fell back to the ramp, whose subgoal the low level now tracks.
  assert.deepEqual(subgoalOf(low.seen[1]).target, [2, 0]);
  assert.deepEqual(planner.path.slice(-2), ['ramp', 'take-ramp']);
  assert.ok(events.some((e) => e.type === 'subgoal-failed' && e.name === 'call-elevator'));
  assert.equal((low.seen[0] as EnvSnapshot & { kind: string }).kind, 'toy', 'the rest of the snapshot is kept');
});

const roverChannels = new Channels(['base.x', 'base.y', 'base.z', 'base.qx', 'base.qy', 'base.qz', 'base.qw', ...Array.from({ length: 16 }, (_, k) => `ray.${k}`)]);
function roverObservation(x: number, y: number, rays: (k: number) => number): Float64Array {
  return Float64Array.from([x, y, 0.16, 0, 0, 0, 1, ...Array.from({ length: 16 }, (_, k) => rays(k))]);
}

test('the middle level plans waypoints around an obstacle the rays see on the straight line', async () => {
  const model = new KinematicRoverModel(roverChannels);
  const middle = new WaypointPlanner(model, undefined, 1);
  // A wall 1 m ahead, 1.2 m wide: rays 15, 0, 1 (straight ahead ± 22.5°) hit it; the target lies 2.5 m beyond.
  const obs = roverObservation(0, 0, (k) => (k === 0 ? 1 : k === 1 || k === 15 ? 1.08 : 5));
  const start = { observation: obs, subgoal: { target: [3.5, 0] as const } };
  const straight = Float64Array.of(1.5, 0, 3, 0);
  const clear = await middle.plan(start, [0, 0]);
  const cost = (w: Float64Array) => Array.from((model.rollout(start, w, 1, 2) as { costs: Float64Array }).costs).reduce((a, b) => a + b, 0);
  assert.ok(cost(clear) < cost(straight), `planned ${Array.from(clear).map((v) => v.toFixed(2))} costs ${cost(clear).toFixed(2)}, straight ${cost(straight).toFixed(2)}`);
  assert.ok(Math.abs(clear[1]) > 0.4, `first waypoint steps aside: ${clear[1].toFixed(2)}`);
  // Its prediction follows the waypoints: after 1 s at cruising speed the base has moved about 0.7 m.
  const predicted = model.predict(start, clear, 1);
  assert.ok(Math.hypot(predicted[0], predicted[1]) > 0.5);
});

test('the hierarchical planner declares its triggers; only a replan the runtime notes (not a surprise alone) replans its waypoints', async () => {
  const tree = defineTaskTree({ name: 'go', channels: [], root: task('root', [method('only', [skill({ name: 'go', budget: 100, navigate: true, subgoal: () => ({ target: [6, 0] }), success: () => false })])]) });
  const planner = new HierarchicalPlanner({ tree, low: recordingLow(), channels: roverChannels, withSubgoal, body: wheeledBase, middle: new WaypointPlanner(new KinematicRoverModel(roverChannels), undefined, 1) });
  assert.deepEqual(planner.levels.triggers.map((t) => `${t.on}@${t.level}`), ['task@2', 'world-events@2', 'waypoint-reached@1', 'surprise@1', 'stall@1']);
  assert.equal(planner.levels.taskTree, tree);
  planner.reset(0);
  const at = (y: number, step: number): PlanRequest => ({ observation: roverObservation(0, y, () => 5), time: step * 0.02, step, snapshot: { kind: 'toy' } });
  await planner.plan(at(0, 0));
  const first = planner.currentWaypoints;
  assert.ok(first);
  // Pushed 3 m aside: far more surprise than the threshold, but no trigger fired (its cooldown, say): the waypoints stay.
  const surprise = planner.levels.triggers.find((t) => t.on === 'surprise')!;
  assert.ok((surprise.read({ step: 3, time: 0.06, observation: at(3, 3).observation }) as number) > planner.config.surpriseThreshold);
  await planner.plan(at(3, 3));
  assert.equal(planner.currentWaypoints, first);
  planner.levels.noteReplan(1, 'surprise');
  await planner.plan(at(3, 6));
  assert.notEqual(planner.currentWaypoints, first);
});
