import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Env, StepResult } from '@itinera/core';
import { createEnv, type PhysicsEnv, type TimeLimit } from '@itinera/physics';
import { loadBuiltinRobot } from '@itinera/robots';
import { rooms, roomsTree } from '@itinera/sim-rooms';
import { checkEnv } from '@itinera/testkit';
import { hierarchicalEpisode, subgoalEvents } from './hierarchy-episode.js';

test('rooms-v1 honours the Env contract (its door panels are scripted actors replayed by snapshots)', async () => {
  const env = await createEnv(rooms, loadBuiltinRobot('rover'));
  assert.deepEqual(checkEnv(env), []);
  env.free();
});

test('rooms-v1 closes one doorway of some walls per seed and tells the robot which are open', async () => {
  const env = (await createEnv(rooms, loadBuiltinRobot('rover'))) as TimeLimit<PhysicsEnv>;
  const names = env.observationSpec.names;
  const closedSeen = new Set<string>();
  for (let seed = 0; seed < 6; seed++) {
    const { observation } = env.reset({ seed });
    for (let w = 1; w <= 3; w++) {
      const open = ['left', 'right'].map((side) => observation[names.indexOf(`rooms.door.${w}.${side}`)]);
      assert.ok(open.some((o) => o === 1), `seed ${seed} wall ${w}: at least one doorway open`);
      ['left', 'right'].forEach((side, i) => {
        const z = env.inner.world.bodyPosition(`door-${w}-${side}`)[2];
        assert.equal(z > 0, open[i] === 0, `seed ${seed} door ${w} ${side}: a closed panel stands in the doorway`);
        if (open[i] === 0) closedSeen.add(`${w}${side}`);
      });
    }
  }
  assert.ok(closedSeen.size > 0);
  env.free();
});

test('the hierarchical planner crosses the first wall of rooms-v1 through an open doorway', async () => {
  const { events } = await hierarchicalEpisode(rooms, { seed: 2, maxSteps: 260 });
  const done = subgoalEvents(events);
  assert.ok(done.includes('done cross-1'), done.join(', '));
  // Subgoal and replan events carry their level: the task level is 2, waypoints 1.
  assert.ok(events.some((e) => e.type === 'replan' && e.level === 2 && e.reason === 'skill-done'));
  assert.ok(events.filter((e) => e.type.startsWith('subgoal')).every((e) => 'level' in e && e.level === 2));
  assert.equal(roomsTree.name, 'rooms-v1');
});

test('an unmodelled push makes the waypoint level replan on surprise', async () => {
  const PUSH_AT = 12;
  /** Pushes the rover sideways once, from outside the planner's model. */
  const pushing = (env: Env): Env => {
    const inner = (env as TimeLimit<PhysicsEnv>).inner;
    return Object.assign(Object.create(env), {
      step(action: ArrayLike<number>): StepResult {
        const r = env.step(action);
        if (r.info.step === PUSH_AT) inner.world.pushBase([0, -25, 0]);
        return r;
      },
    });
  };
  const { events } = await hierarchicalEpisode(rooms, { seed: 2, maxSteps: 50, wrap: pushing, planner: { surpriseThreshold: 0.3 } });
  const surprises = (list: typeof events) => list.filter((e) => e.type === 'replan' && e.reason === 'surprise' && e.step > PUSH_AT && e.step <= PUSH_AT + 30);
  assert.ok(surprises(events).some((e) => (e as { level: number }).level === 1), 'a level-1 surprise replan follows the push');
  for (const e of surprises(events)) assert.ok((e as { surprise?: number }).surprise! > 0.3, `a surprise replan carries the value that caused it: ${JSON.stringify(e)}`);
  const calm = await hierarchicalEpisode(rooms, { seed: 2, maxSteps: 50, planner: { surpriseThreshold: 0.3 } });
  assert.deepEqual(surprises(calm.events), [], 'without the push the model is not surprised');
});
