// A focused planning benchmark: reach-v1 MPPI 64×30 on the exact and 1/50 s simulator copies, next to bare Rapier
// stepping the same number of physics steps in the same run (the ratio is the project's overhead).
import { Rng } from '@itinera/core';
import { mppiPlanner, type SamplingPlanner } from '@itinera/mpc';
import { createEnv, PhysicsWorld, SimulatorModel } from '@itinera/physics';
import { loadBuiltinRobot } from '@itinera/robots';
import { reach } from '@itinera/sim-reach';

const PLANS = Number(process.env.BENCH_PLANS ?? 20);
const HORIZON = 30;
const SAMPLES = 64;
const robot = loadBuiltinRobot('reacher');

const copies = process.env.BENCH_COPY === 'coarse' ? [0.02] : process.env.BENCH_COPY === 'exact' ? [undefined] : [undefined, 0.02];
for (const physicsDt of copies) {
  const env = await createEnv(reach, robot);
  const model = await SimulatorModel.create(reach, robot, {}, { physicsDt });
  const config = mppiPlanner.schema['~standard'].validate({ ...mppiPlanner.defaults, horizon: HORIZON, samples: SAMPLES }) as { value: any };
  const planner = mppiPlanner.create(config.value, { actionSpec: env.actionSpec, observationSpec: env.observationSpec, controlDt: env.controlDt, rng: new Rng(0), model }) as SamplingPlanner;
  planner.reset(1);
  let { observation } = env.reset({ seed: 1 });
  let time = 0;
  let planMs = 0;
  let checksum = 0;
  for (let step = 0; step < PLANS + 2; step++) {
    const t0 = performance.now();
    const policy = await planner.plan({ observation, time, step, snapshot: env.snapshot() });
    if (step >= 2) planMs += performance.now() - t0;
    const action = policy.action(time);
    checksum += action.reduce((s, v) => s + v, 0);
    const r = env.step(action);
    observation = r.observation;
    time = r.info.time;
    if (r.terminated || r.truncated) ({ observation } = env.reset({ seed: 1 }));
  }
  planMs /= PLANS;
  // Bare Rapier: the same physics steps per plan on a world with the same settings, no restores, no costs.
  const substeps = Math.round(env.controlDt / (physicsDt ?? 1 / 200));
  const bare = PhysicsWorld.create(robot, reach.create(reach.defaults, robot).scene, { physicsDt: physicsDt ?? 1 / 200, substeps, planning: true });
  const controlSteps = SAMPLES * HORIZON;
  // Torques that keep the arm moving (a resting body sleeps and steps for free), the same each step.
  const torque = Float64Array.from(bare.actuatorLimits, (l, k) => (k % 2 ? -0.3 : 0.3) * l);
  const run = (steps: number) => {
    for (let i = 0; i < steps; i++) {
      if (i % HORIZON === 0) torque.reverse();
      bare.applyActuators(torque);
      bare.step();
    }
  };
  run(200);
  const t0 = performance.now();
  for (let p = 0; p < PLANS; p++) run(controlSteps);
  const bareMs = (performance.now() - t0) / PLANS;
  bare.free();
  console.log(`${physicsDt ? 'coarse 1/50 ' : 'exact 1/200 '} plan ${planMs.toFixed(1)} ms  bare rapier ${bareMs.toFixed(1)} ms  ratio ${(planMs / bareMs).toFixed(2)}  checksum ${checksum.toPrecision(17)}`);
  planner.dispose();
  model.free();
  env.free();
}
