// A push JEPA plans on push-v1's own residuals: the learned view reads the box from its box.x/y/z channels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ItineraError } from '@itinera/core';
import { createEnv } from '@itinera/physics';
import { loadBuiltinRobot } from '@itinera/robots';
import { push } from '@itinera/sim-push';
import { loadTrainConfig, ReadoutView } from '@itinera/world-model';

test("a ReadoutView holding the true channels gives push-v1's residuals exactly as the simulator's view", async () => {
  const rover = loadBuiltinRobot('rover');
  const env = await createEnv(push, rover);
  try {
    env.reset({ seed: 4 });
    let observation: ArrayLike<number> = [];
    for (let i = 0; i < 15; i++) observation = env.step([2, 1.5, 0.5]).observation;
    const names = env.observationSpec.names;
    const readouts = loadTrainConfig('configs/train/push-jepa.yaml').readouts;
    const decoded = readouts.map((r) => observation[names.indexOf(r)]);
    const view = new ReadoutView(rover, names, readouts).load(observation, decoded, 0);
    const inner = env.inner;
    const onSim = inner.task.residuals(inner.world, inner.state, [0, 0, 0]);
    const onView = inner.task.residuals(view, inner.state, [0, 0, 0]);
    assert.ok(Math.hypot(...onSim['rover-behind-box']) > 0.05, 'the rover is off its stand-off point, so the check means something');
    for (const [term, r] of Object.entries(onSim)) assert.deepEqual(Array.from(onView[term]).map((v) => v.toFixed(6)), Array.from(r).map((v) => v.toFixed(6)), term);
    assert.throws(() => view.bodyPosition('crate'), (e: unknown) => e instanceof ItineraError && /no scene body 'crate' \(no crate\.x and crate\.y channels\)/.test(e.message));
  } finally {
    env.free();
  }
});
