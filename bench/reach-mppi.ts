// npm run bench:reach — reach-v1 MPPI 64×30 on the exact and 1/50 s simulator copies, against bare Rapier doing the
// same physics steps. After each plan, a bare PhysicsWorld replays every sample: it restores the plan's start (not
// timed) and steps the sample's actions (torques + world.step; nothing read, costed or checked), so plan ÷ bare is
// the project's overhead on those very steps: restores, residuals, checks, the planner. Two more baselines for
// context: "bare rollouts" times the restores too, and "one trajectory" steps all the plan's actions in a row from
// the start (the same number of steps, but through other states, which cost Rapier a different amount).
// CPU time (process.cpuUsage) is reported beside wall time: on a shared machine it is the steadier of the two.
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

function add(total: { wall: number; cpu: number }, t: { wall: number; cpu: number }): void {
  total.wall += t.wall;
  total.cpu += t.cpu;
}

/** Starts a stopwatch; calling what it returns gives the wall and CPU milliseconds since. */
function stopwatch(): () => { wall: number; cpu: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  return () => {
    const wall = performance.now() - t0;
    const c = process.cpuUsage(c0);
    return { wall, cpu: (c.user + c.system) / 1000 };
  };
}

/** Wall and CPU milliseconds of one synchronous call (no await inside the timer). */
function timedSync(run: () => void): { wall: number; cpu: number } {
  const stop = stopwatch();
  run();
  return stop();
}

/** Wall and CPU milliseconds of one call. */
async function timed(run: () => unknown): Promise<{ wall: number; cpu: number }> {
  const stop = stopwatch();
  await run();
  return stop();
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
  const sameSteps = { wall: 0, cpu: 0 };
  const rollouts = { wall: 0, cpu: 0 };
  const oneTrajectory = { wall: 0, cpu: 0 };
  let checksum = 0;
  for (let step = 0; step < PLANS + WARMUP; step++) {
    const snapshot = env.snapshot();
    const before = model.simulatedSteps;
    let policy: any;
    const p = await timed(async () => (policy = await planner.plan({ observation, time, step, snapshot })));
    const steps = model.simulatedSteps - before;
    const start = (innermostSnapshot(snapshot) as any).physics;
    const a = env.actionSpec.size;
    const stepSample = (s: number, n: number) => {
      for (let i = 0; i < n; i++) {
        bare.applyActuators(lastActions.subarray((s * HORIZON + i) * a, (s * HORIZON + i + 1) * a));
        bare.step();
      }
    };
    // The replays below take the plan's one rollout (MPPI's default single iteration) sample by sample.
    if (sampleSteps.reduce((sum, n) => sum + n, 0) !== steps) throw new Error('bench:reach: the plan made more than one rollout; its samples cannot be replayed');
    // The same steps: each sample from the plan's start with its actions, the restore outside the timer.
    const same = { wall: 0, cpu: 0 };
    for (const [s, n] of sampleSteps.entries()) {
      bare.restore(start);
      add(same, timedSync(() => stepSample(s, n)));
    }
    const r = timedSync(() => {
      for (const [s, n] of sampleSteps.entries()) {
        bare.restore(start);
        stepSample(s, n);
      }
    });
    bare.restore(start);
    const b = timedSync(() => {
      for (let i = 0; i < steps; i++) {
        bare.applyActuators(lastActions.subarray(i * a, (i + 1) * a));
        bare.step();
      }
    });
    if (step >= WARMUP) {
      add(plan, p);
      add(sameSteps, same);
      add(rollouts, r);
      add(oneTrajectory, b);
    }
    const action = policy.action(time);
    checksum += action.reduce((s: number, v: number) => s + v, 0);
    const result = env.step(action);
    observation = result.observation;
    time = result.info.time;
    if (result.terminated || result.truncated) ({ observation } = env.reset({ seed: 1 }));
  }
  const ms = (t: { wall: number; cpu: number }) => `${(t.wall / PLANS).toFixed(1)} ms (cpu ${(t.cpu / PLANS).toFixed(1)})`;
  const ratio = (t: { wall: number; cpu: number }) => `${(plan.wall / t.wall).toFixed(3)} (cpu ${(plan.cpu / t.cpu).toFixed(3)})`;
  console.log(`${physicsDt ? 'coarse 1/50 s copy' : 'exact 1/200 s copy'}  plan ${ms(plan)}  checksum ${checksum.toPrecision(17)}`);
  console.log(`  bare Rapier, the same steps    ${ms(sameSteps)}  plan ÷ bare ${ratio(sameSteps)}`);
  console.log(`  bare rollouts (+ restores)     ${ms(rollouts)}  plan ÷ that ${ratio(rollouts)}`);
  console.log(`  one trajectory, same actions   ${ms(oneTrajectory)}  plan ÷ that ${ratio(oneTrajectory)}`);
  bare.free();
  planner.dispose();
  model.free();
  env.free();
}
