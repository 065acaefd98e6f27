// The scripted actors of commute-v1 on a fake world: the elevator answers the call button, carries the rover's
// selection down and opens below; the taxi comes when hailed from the curb zone and stops at its seeded place.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, type Vec3, type WorldView } from '@itinera/core';
import { loadBuiltinRobot } from '@itinera/robots';
import { commute, type CommuteState } from '@itinera/sim-commute';

const robot = loadBuiltinRobot('rover');

/** A world where only the base and the paddle tip matter, placed by the test. */
function fakeView(): WorldView & { base: Vec3; tip: Vec3 } {
  const view = {
    robot,
    time: 0,
    base: [0, 0, 0.16] as Vec3,
    tip: [0.42, 0, 0.6] as Vec3,
    basePosition: () => view.base,
    endEffectorPosition: () => view.tip,
    pointPosition: () => view.base,
    jointPositions: () => new Float64Array(4),
    jointVelocities: () => new Float64Array(4),
    baseQuaternion: () => [0, 0, 0, 1] as [number, number, number, number],
    baseVelocity: () => [0, 0, 0] as Vec3,
    linkInContact: () => false,
    bodyPosition: () => [0, 0, 0] as Vec3,
  };
  return view;
}

type Scripted = ReturnType<typeof commute.create> & { advance(view: WorldView, s: CommuteState, dt: number): Array<{ body: string; xyz: Vec3 }> };

function setUp(options: Record<string, unknown> = {}) {
  const task = commute.create({ ...commute.defaults, ...options }, robot) as Scripted;
  const view = fakeView();
  const state = task.init(new Rng(3), view) as CommuteState;
  const run = (seconds: number) => {
    let poses: Array<{ body: string; xyz: Vec3 }> = [];
    for (let t = 0; t < seconds; t += 0.02) poses = task.advance(view, state, 0.02);
    return Object.fromEntries(poses.map((p) => [p.body, p.xyz]));
  };
  const observe = () => Object.fromEntries(task.observationNames.map((n, i) => [n, Array.from(task.observe(view, state))[i]]));
  return { task, view, state, run, observe };
}

test('the elevator answers the call button, takes the rover down once it pressed the ground floor, and opens below', () => {
  const { view, state, run, observe } = setUp({ lateElevator: 0, person: false });
  run(3);
  assert.equal(observe()['elevator.called'], 0, 'nothing happens without a call');
  // The paddle touches the call plate.
  view.base = [6.93, 0.6, 0.16];
  view.tip = [7.49, 0.6, 0.36];
  run(0.1);
  assert.equal(observe()['elevator.called'], 1);
  view.tip = [7.3, 0.6, 0.6];
  const up = run(2 + 4 + 1.2);
  assert.equal(observe()['elevator.z'], 0);
  assert.ok(observe()['elevator.upper-door'] > 0.99, 'doors open upstairs');
  assert.ok(up['door-upper'][2] < 0, 'the door panel slid out of the way');
  assert.ok(Math.abs(up['car-floor'][2] + 0.05) < 1e-9, 'the car floor is flush with the upper floor');
  // The rover drives in and presses the ground-floor button on the car's north wall.
  view.base = [8.3, 0.19, 0.16];
  view.tip = [8.3, 0.7, 0.36];
  run(0.1);
  assert.equal(observe()['elevator.selected'], 1);
  view.tip = [8.3, 0.3, 0.6];
  run(1.2 + 4.2 + 1.2);
  assert.equal(observe()['elevator.z'], -1);
  assert.ok(observe()['elevator.lower-door'] > 0.99);
  assert.equal(state.elevator.phase, 'open-lower');
});

test('doors do not close on the rover in the doorway, and close after their dwell when nobody comes', () => {
  const { view, state, run } = setUp({ lateElevator: 0, person: false });
  view.tip = [7.49, 0.6, 0.36];
  run(0.1);
  view.tip = [7.3, 0.6, 0.6];
  view.base = [6.8, 0, 0.16];
  run(8);
  assert.equal(state.elevator.phase, 'open-upper');
  view.base = [7.55, 0, 0.16];
  run(20);
  assert.equal(state.elevator.upperDoor, 1, 'held open while the rover stands in the doorway');
  view.base = [6.0, 0, 0.16];
  run(2);
  assert.equal(state.elevator.phase, 'idle-upper');
  assert.equal(state.elevator.called, false, 'a new call is needed');
});

test('in the elevator-out variant the call button only lights the out-of-service sign, and the ramp exists', () => {
  const { view, run, observe, task } = setUp({ variant: 'elevator-out', person: false });
  view.tip = [7.49, 0.6, 0.36];
  run(10);
  assert.deepEqual([observe()['elevator.out'], observe()['elevator.called'], observe()['elevator.z'], observe()['building.ramp']], [1, 0, -1, 1]);
  assert.ok(task.scene.bodies.some((b) => b.name === 'ramp'));
  assert.ok(!setUp().task.scene.bodies.some((b) => b.name === 'ramp'), 'no ramp in the standard variant');
});

test('the taxi comes when the rover stands in the curb zone and stops at its seeded place', () => {
  const { view, state, run, observe } = setUp({ person: false });
  run(5);
  assert.equal(observe()['taxi.hailed'], 0);
  view.base = [14.6, 0, -0.84];
  run(1.2);
  assert.equal(observe()['taxi.hailed'], 1);
  const poses = run(15);
  assert.equal(observe()['taxi.stopped'], 1);
  assert.equal(observe()['taxi.y'], state.taxi.stopY);
  assert.ok(Math.abs(poses.taxi[1] - state.taxi.stopY) < 1e-9);
  assert.ok(Math.abs(state.taxi.stopY) <= 3);
});

test('the person crosses the corridor at its seeded time and leaves', () => {
  const { state, run } = setUp({ person: true });
  const before = run(state.person.startAt - 0.1);
  assert.equal(before.person[2], -5, 'away before its time');
  const during = run(0.5);
  assert.ok(during.person[2] > 0 && Math.abs(during.person[1]) <= 1.2, 'in the corridor');
  const after = run(10);
  assert.equal(after.person[2], -5, 'gone after crossing');
});

test('the person waits while the rover is in its way, then walks on', () => {
  const { state, view, run } = setUp({ person: true });
  run(state.person.startAt + 0.1);
  // The rover stops just ahead of the person, across its path.
  view.base = [state.person.x, state.person.y + 0.6, 0.16];
  const blocked = run(3);
  assert.ok(view.base[1] - blocked.person[1] >= 0.55, `the person stayed clear (${(view.base[1] - blocked.person[1]).toFixed(2)} m)`);
  assert.ok(blocked.person[2] > 0, 'still in the corridor, waiting');
  view.base = [state.person.x + 3, 0, 0.16];
  assert.equal(run(10).person[2], -5, 'gone once the way is clear');
});
