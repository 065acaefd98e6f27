import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEnv } from '@itinera/physics';
import { loadBuiltinRobot } from '@itinera/robots';
import { commute, commuteTree } from '@itinera/sim-commute';
import { checkEnv } from '@itinera/testkit';
import { chooseTree } from '@itinera/hierarchy';
import { roomsTree } from '@itinera/sim-rooms';
import { hierarchicalEpisode, subgoalEvents } from './hierarchy-episode.js';

for (const variant of ['standard', 'elevator-out']) {
  test(`commute-v1 (${variant}) honours the Env contract, actors and all`, async () => {
    const env = await createEnv(commute, loadBuiltinRobot('rover'), { scenarioOptions: { ...commute.defaults, variant } });
    assert.deepEqual(checkEnv(env), []);
    env.free();
  });
}

test("the hierarchical planner's 'auto' tree for commute-v1 is the commute tree", async () => {
  const env = await createEnv(commute, loadBuiltinRobot('rover'));
  assert.equal(chooseTree([roomsTree, commuteTree], 'auto', env.observationSpec.names).name, 'commute-v1');
  env.free();
});

test('a short commute segment end to end: the rover leaves the office and heads down the corridor', async () => {
  const { events, summary } = await hierarchicalEpisode(commute, { seed: 1, maxSteps: 220, scenarioOptions: { person: false } });
  assert.ok(subgoalEvents(events).includes('done leave-office'), subgoalEvents(events).join(', '));
  const active = summary.subgoals.filter((g) => g.status === 'active').map((g) => g.name);
  assert.deepEqual(active, ['commute', 'office-to-taxi', 'get-down', 'elevator', 'call-elevator']);
  assert.equal(summary.failure, 'timeout');
});
