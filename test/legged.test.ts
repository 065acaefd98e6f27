import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { ItineraError, type StepResult } from '@itinera/core';
import { createEnv, SimulatorModel } from '@itinera/physics';
import { loadBuiltinRobot, loadUrdfFile } from '@itinera/robots';
import { findFeet, goto, measureGait, soles, stand, swingLift, type GotoState, type StandState } from '@itinera/sim-legged';
import { checkEnv } from '@itinera/testkit';

const QUADRUPED = fileURLToPath(new URL('./fixtures/urdf/box-quadruped.urdf', import.meta.url));
const quadruped = () => loadUrdfFile(QUADRUPED).robot;
const FEET = ['foot_front_left', 'foot_front_right', 'foot_back_left', 'foot_back_right'];

test('feet are detected as the distal link of each leg, or taken as named', () => {
  assert.deepEqual(findFeet(quadruped()).sort(), [...FEET].sort());
  assert.deepEqual(findFeet(loadBuiltinRobot('ant')).length, 4);
  assert.deepEqual(findFeet(quadruped(), ['shin_front_left', 'shin_back_left']), ['shin_front_left', 'shin_back_left']);
  assert.throws(() => findFeet(quadruped(), ['paw']), (e: Error) => e instanceof ItineraError && /no link 'paw'/.test(e.message));
});

test('stand-v1 settles the robot on its feet at reset and measures its standing height there', async () => {
  const env = await createEnv(stand, quadruped());
  const { observation } = env.reset({ seed: 100 });
  const s = env.inner.state as StandState;
  const names = env.observationSpec.names;
  for (const foot of FEET) assert.equal(observation[names.indexOf(`contact.${foot}`)], 1, `${foot} touches the ground at rest`);
  assert.ok(s.nominalHeight > 0.15 && s.nominalHeight < 0.4, `standing height ${s.nominalHeight}`);
  assert.equal(env.inner.world.time, 0);
  env.free();
});

test('after settling, joints without damping of their own are free again: torques move them', async () => {
  const robot = quadruped();
  const undamped = { ...robot, joints: robot.joints.map((j) => ({ ...j, damping: 0 })) };
  const env = await createEnv(stand, undamped, { scenarioOptions: { pushes: 0 } });
  const knees = (torque: number) => {
    env.reset({ seed: 105 });
    const u = env.actionSpec.names.map((n) => (n.startsWith('knee') ? torque : 0));
    for (let i = 0; i < 5; i++) env.step(u);
    return env.inner.world.jointPositions()[4];
  };
  assert.ok(knees(12) - knees(-12) > 0.2, 'opposite knee torques bend the knee apart');
  env.free();
});

test('stand-v1: with zero torques a strong push fells the robot and says how', async () => {
  const env = await createEnv(stand, quadruped(), { scenarioOptions: { push: 3, pushes: 1 } });
  env.reset({ seed: 101 });
  let r: StepResult | undefined;
  for (let i = 0; i < env.maxSteps && !(r?.terminated || r?.truncated); i++) r = env.step(new Float64Array(env.actionSpec.size));
  assert.equal(r!.info.success, false);
  assert.match(String(r!.info.failure), /^(tipped-over|fell)$/);
  env.free();
});

test('stand-v1 pushes are seeded: the same seed gives the same pushes and steps, another seed other pushes', async () => {
  const env = await createEnv(stand, quadruped(), { maxSteps: 60 });
  const run = (seed: number) => {
    env.reset({ seed });
    const pushes = structuredClone((env.inner.state as StandState).pushes);
    const heights: number[] = [];
    for (let i = 0; i < 60; i++) heights.push(env.step(new Float64Array(env.actionSpec.size)).observation[0]);
    return { pushes, heights };
  };
  const a = run(102);
  assert.deepEqual(run(102), a);
  assert.notDeepEqual(run(103).pushes, a.pushes);
  assert.equal(a.pushes.length, 3);
  env.free();
});

test("a push moves the live env's base and is not foreseen by the planner's simulator copy", async () => {
  const pushed = await createEnv(stand, quadruped(), { scenarioOptions: { pushes: 1, push: 1 } });
  const calm = await createEnv(stand, quadruped(), { scenarioOptions: { pushes: 0 } });
  pushed.reset({ seed: 104 });
  calm.reset({ seed: 104 });
  (pushed.inner.state as StandState).pushes[0].time = 0;
  const start = pushed.inner.snapshot();
  const model = await SimulatorModel.create(stand, quadruped(), { scenarioOptions: { pushes: 1, push: 1 } });
  const zero = new Float64Array(pushed.actionSpec.size);
  const foreseen = model.trace(start, new Float64Array(5 * zero.length), 5).at(-1)!;
  for (let i = 0; i < 5; i++) [pushed, calm].forEach((env) => env.step(zero));
  const [live, still] = [pushed, calm].map((env) => env.inner.world.basePosition());
  assert.ok(Math.hypot(live[0] - still[0], live[1] - still[1]) > 0.02, 'the push moved the live base');
  assert.deepEqual(foreseen, still.map((v) => Number(v.toFixed(5))), "the planner's copy rolls on as if unpushed");
  model.free();
  [pushed, calm].forEach((env) => env.free());
});

test('a stance hold keeps the robot up under zero torques', async () => {
  const height = async (hold: number) => {
    const env = await createEnv(stand, quadruped(), { scenarioOptions: { pushes: 0, hold } });
    env.reset({ seed: 106 });
    for (let i = 0; i < 50; i++) env.step(new Float64Array(env.actionSpec.size));
    const z = env.inner.world.basePosition()[2];
    env.free();
    return z;
  };
  const [held, unheld] = [await height(0.3), await height(0)];
  assert.ok(held - unheld > 0.03, `held ${held.toFixed(3)} m vs unheld ${unheld.toFixed(3)} m after 1 s of zero torque`);
});

test('goto-v1 trots: diagonal feet share a phase, each swing foot is asked up on a cosine bump', async () => {
  assert.equal(swingLift(0, { stepHeight: 0.05, duty: 0.5 }), 0.05);
  assert.ok(Math.abs(swingLift(0.125, { stepHeight: 0.05, duty: 0.5 }) - 0.05 * Math.SQRT1_2) < 1e-12);
  for (const cycle of [0.25, 0.5, 0.75, -0.3]) assert.equal(swingLift(cycle, { stepHeight: 0.05, duty: 0.5 }), 0, `cycle ${cycle} stands`);
  assert.equal(swingLift(1, { stepHeight: 0.05, duty: 0.5 }), 0.05, 'the gait repeats every cycle');
  const robot = quadruped();
  const env = await createEnv(goto, robot);
  env.reset({ seed: 100 });
  const feet = findFeet(robot);
  const { footPhase, footRest } = measureGait(env.inner.world, feet, soles(robot, feet));
  const phase = Object.fromEntries(feet.map((f, i) => [f, footPhase[i]]));
  assert.equal(phase.foot_front_left, phase.foot_back_right);
  assert.equal(phase.foot_front_right, phase.foot_back_left);
  assert.equal(Math.abs(phase.foot_front_left - phase.foot_front_right), 0.5);
  assert.deepEqual((env.inner.state as GotoState).footRest, footRest, 'the episode measured the same standing feet');
  env.free();
});

test('stand-v1 and goto-v1 honour the Env contract on the fixture quadruped', async () => {
  for (const scenario of [stand, goto]) {
    const env = await createEnv(scenario, quadruped());
    assert.deepEqual(checkEnv(env), []);
    env.free();
  }
});

test('a fixed-base robot is refused with a clear error', async () => {
  const robot = quadruped();
  await assert.rejects(createEnv(stand, { ...robot, base: { ...robot.base, fixed: true } }), (e: Error) => e instanceof ItineraError && /floating/.test(e.message));
});
