// npm run bench:reach — reach-v1 MPPI 64×30 on the exact and 1/50 s simulator copies. After each plan, bare Rapier
// steps the same control steps with the same actions (torques + world.step, no restores, costs or reads), so the
// ratio plan ÷ bare is the project's overhead, measured under the same load. "Bare rollouts" replays each sample
// from the plan's start (restore, torques, steps; no costs, reads or checks): plan ÷ that is the planning layer's
// share. CPU time (process.cpuUsage) is reported beside wall time: on a shared machine it is the steadier of the two.
// BENCH_PLANS (20), BENCH_COPY=exact|coarse.
import { innermostSnapshot, Rng } from '@itinera/core';
import { mppiPlanner, type SamplingPlanner } from '@itinera/mpc';
import { createEnv, PhysicsWorld, SimulatorModel } from '@itinera/physics';
import { loadBuiltinRobot } from '@itinera/robots';
import { reach } from '@itinera/sim-reach';

const PLANS = Number(process.env.BENCH_PLANS ?? 20);
/** Plans left out at the start: the first dozens of rollouts run before the JIT has warmed up (2-3× slower). */
const WARMUP = 10;
const HORIZON = 30;
const SAMPLES = 64;
const robot = loadBuiltinRobot('reacher');
const copies = process.env.BENCH_COPY === 'coarse' ? [0.02] : process.env.BENCH_COPY === 'exact' ? [undefined] : [undefined, 0.02];

/** Wall and CPU milliseconds of one call. */
async function timed(run: () => unknown): Promise<{ wall: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await run();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

for (const physicsDt of copies) {
  const env = await createEnv(reach, robot);
  const model = await SimulatorModel.create(reach, robot, {}, { physicsDt });
  let lastActions = new Float64Array(0);
  // Control steps each sample of the last plan ran (a sample that reaches the target stops early).
  const sampleSteps: number[] = [];
  const rolloutSample = model.rolloutSample.bind(model);
  model.rolloutSample = (...args: Parameters<typeof rolloutSample>) => {
    const before = model.simulatedSteps;
    rolloutSample(...args);
    sampleSteps.push(model.simulatedSteps - before);
  };
  // The planner's model, recording the actions of its last rollout for the bare replay.
  const recording = Object.assign(Object.create(model), {
    rollout: (start: any, actions: Float64Array, batch: number, horizon: number) => {
      lastActions = actions.slice();
      sampleSteps.length = 0;
      return model.rollout(start, actions, batch, horizon);
    },
  });
  const config = mppiPlanner.schema['~standard'].validate({ ...mppiPlanner.defaults, horizon: HORIZON, samples: SAMPLES }) as { value: any };
  const planner = mppiPlanner.create(config.value, { actionSpec: env.actionSpec, observationSpec: env.observationSpec, controlDt: env.controlDt, rng: new Rng(0), model: recording }) as SamplingPlanner;
  const substeps = Math.round(env.controlDt / (physicsDt ?? 1 / 200));
  const bare = PhysicsWorld.create(robot, reach.create(reach.defaults, robot).scene, { physicsDt: physicsDt ?? 1 / 200, substeps, planning: true });
  planner.reset(1);
  let { observation } = env.reset({ seed: 1 });
  let time = 0;
  const plan = { wall: 0, cpu: 0 };
  const base = { wall: 0, cpu: 0 };
  const rollouts = { wall: 0, cpu: 0 };
  let checksum = 0;
  for (let step = 0; step < PLANS + WARMUP; step++) {
    const snapshot = env.snapshot();
    const before = model.simulatedSteps;
    let policy: any;
    const p = await timed(async () => (policy = await planner.plan({ observation, time, step, snapshot })));
    const steps = model.simulatedSteps - before;
    bare.restore((innermostSnapshot(snapshot) as any).physics);
    const a = env.actionSpec.size;
    const b = await timed(() => {
      for (let i = 0; i < steps; i++) {
        bare.applyActuators(lastActions.subarray(i * a, (i + 1) * a));
        bare.step();
      }
    });
    // The same rollouts on bare physics: each sample restored and stepped with its actions, nothing read or costed.
    const start = (innermostSnapshot(snapshot) as any).physics;
    const r = await timed(() => {
      for (const [s, n] of sampleSteps.entries()) {
        bare.restore(start);
        for (let i = 0; i < n; i++) {
          bare.applyActuators(lastActions.subarray((s * HORIZON + i) * a, (s * HORIZON + i + 1) * a));
          bare.step();
        }
      }
    });
    if (step >= WARMUP) {
      plan.wall += p.wall;
      plan.cpu += p.cpu;
      base.wall += b.wall;
      base.cpu += b.cpu;
      rollouts.wall += r.wall;
      rollouts.cpu += r.cpu;
    }
    const action = policy.action(time);
    checksum += action.reduce((s: number, v: number) => s + v, 0);
    const result = env.step(action);
    observation = result.observation;
    time = result.info.time;
    if (result.terminated || result.truncated) ({ observation } = env.reset({ seed: 1 }));
  }
  const ms = (x: number) => (x / PLANS).toFixed(1);
  console.log(
    `${physicsDt ? 'coarse 1/50 ' : 'exact 1/200 '} plan ${ms(plan.wall)} ms (cpu ${ms(plan.cpu)})  bare rapier ${ms(base.wall)} ms (cpu ${ms(base.cpu)})  ` +
      `ratio wall ${(plan.wall / base.wall).toFixed(2)} cpu ${(plan.cpu / base.cpu).toFixed(2)}  ` +
      `bare rollouts ${ms(rollouts.wall)} ms (cpu ${ms(rollouts.cpu)}) ratio wall ${(plan.wall / rollouts.wall).toFixed(2)} cpu ${(plan.cpu / rollouts.cpu).toFixed(2)}  checksum ${checksum.toPrecision(17)}`,
  );
  bare.free();
  planner.dispose();
  model.free();
  env.free();
}
