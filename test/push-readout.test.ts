// A push JEPA plans on push-v1's own residuals: the learned view reads the box from its box.x/y/z channels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ItineraError, type ScenarioDefinition } from '@itinera/core';
import { builtinScenarios } from '@itinera/cli';
import { createEnv } from '@itinera/physics';
import { loadBuiltinRobot } from '@itinera/robots';
import { push } from '@itinera/sim-push';
import { BaseFrame, frameFor, loadTrainConfig, ReadoutView, TaskCostLatentModel } from '@itinera/world-model';

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

test('push-v1 seen from the rover: the box and the pad move and turn with its pose, box-to-pad only turns, and the world comes back exactly', async () => {
  const env = await createEnv(push, loadBuiltinRobot('rover'));
  let observation: ArrayLike<number> = [];
  try {
    env.reset({ seed: 4 });
    for (let i = 0; i < 30; i++) observation = env.step([2, 1.5, 0.5]).observation;
  } finally {
    env.free();
  }
  const names = env.observationSpec.names;
  const network = loadTrainConfig('configs/train/push-jepa.yaml').network;
  const frame = frameFor(network, names, 'observation channels')!;
  const world = Float32Array.from(observation);
  const pose = frame.poseOf(world);
  assert.ok(Math.abs(pose.yaw) > 0.05, `the rover has turned (${pose.yaw}), so turning is tested`);
  const seen = Float32Array.from(world);
  frame.transform(seen, 0, pose, false);
  const at = (row: Float32Array, n: string) => row[names.indexOf(n)];
  const xy = (row: Float32Array, p: string) => [at(row, `${p}.x`), at(row, `${p}.y`)];
  const near = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-4, `${what}: ${a} vs ${b}`);
  near(Math.hypot(...xy(seen, 'box')), Math.hypot(at(world, 'box.x') - pose.x, at(world, 'box.y') - pose.y), 'the box lies where it did, from the rover');
  near(at(seen, 'base.x'), 0, 'the rover is the origin');
  for (const axis of ['x', 'y']) near(at(seen, `box-to-pad.${axis}`), at(seen, `box.${axis}`) - at(seen, `pad.${axis}`), `box-to-pad.${axis} is still box − pad`);
  near(Math.hypot(...xy(seen, 'box-to-pad')), Math.hypot(...xy(world, 'box-to-pad')), 'box-to-pad keeps its length');
  frame.transform(seen, 0, pose, true);
  for (let i = 0; i < names.length; i++) near(seen[i], world[i], names[i]);
  // Readouts hold a part of the pairs; a half pair is an error, and so are extra pairs without frame: start.
  assert.throws(() => new BaseFrame(names.filter((n) => n !== 'pad.y'), 'observation channels', { points: ['pad'] }), /names 'pad', but the observation channels lack pad.y/);
  assert.throws(() => frameFor({ ...network, frame: 'world' }, names, 'observation channels'), /need network.frame: start/);
});

test('a learned model charges the ray-ring collision guardrail only where the scene has obstacles: not for the box push-v1 is about', async () => {
  const rover = loadBuiltinRobot('rover');
  const terms = async (scenario: ScenarioDefinition, dir: string) => {
    const env = await createEnv(scenario, rover);
    const model = TaskCostLatentModel.load(dir, env.inner.task, rover);
    env.free();
    model.free();
    return model.terms.map((t) => t.name);
  };
  assert.ok(!(await terms(push, 'models/push-jepa')).includes('collision'), 'the box has mass: the simulator does not charge touching it');
  assert.ok((await terms(builtinScenarios().get('rooms'), 'models/rover-level0-rooms')).includes('collision'), 'walls are obstacles');
});
