// npm run bench:threads — plan time on N threads vs 1 (parallel rollouts, ParallelSimulatorModel) for reach-v1 MPPI
// 64×30 on the exact and 1/50 s copies, ant-goto-v1 MPPI 64×30 on the 1/50 s copy and rover-mppi (configs/planners/rover-mppi.yaml) on rooms-v1. Both planners
// plan from the same snapshot at every step, one after the other, so load changes hit both alike; their actions must
// be the same bits. Prints wall ms per plan, the ratio and the load average, and CPU ms per plan over all threads
// (process.cpuUsage): their ratio is the cost of spreading the work, which load does not blur as it blurs wall time.
// BENCH_PLANS (20), BENCH_THREADS (2), BENCH_WARMUP (100 plans left out first).
import { loadavg } from 'node:os';
import { Rng, type PlannerDefinition, type ScenarioDefinition } from '@itinera/core';
import { mppiPlanner } from '@itinera/mpc';
import { createEnv, ParallelSimulatorModel, SimulatorModel, type PlanningPhysics } from '@itinera/physics';
import { loadBuiltinRobot } from '@itinera/robots';
import { antGoto } from '@itinera/sim-ant-goto';
import { rooms } from '@itinera/sim-rooms';
import { reach } from '@itinera/sim-reach';

const PLANS = Number(process.env.BENCH_PLANS ?? 20);
const THREADS = Number(process.env.BENCH_THREADS ?? 2);
/**
 * Plans left out at the start: each worker's copy warms up its own JIT (the first dozens of rollouts cost 2-3×). A
 * worker that takes half of 16 samples a plan is still warming up after 10 plans (rover-mppi 1.03× then, 1.69× after
 * 100), and an episode plans hundreds of times, so the steady state is what counts.
 */
const WARMUP = Number(process.env.BENCH_WARMUP ?? 100);
const WORKER = new URL('../packages/cli/dist/rollout-worker.js', import.meta.url);

interface Case {
  label: string;
  scenario: ScenarioDefinition<any>;
  robot: string;
  options: Record<string, unknown>;
  planning: PlanningPhysics;
}

const cases: Case[] = [
  { label: 'reach-v1 mppi 64x30 exact', scenario: reach, robot: 'reacher', options: { samples: 64, horizon: 30 }, planning: {} },
  { label: 'reach-v1 mppi 64x30 1/50 s', scenario: reach, robot: 'reacher', options: { samples: 64, horizon: 30 }, planning: { physicsDt: 0.02 } },
  { label: 'ant-goto-v1 mppi 64x30 1/50 s', scenario: antGoto, robot: 'ant', options: { samples: 64, horizon: 30 }, planning: { physicsDt: 0.02 } },
  // rover-mppi's options and planning copy (configs/planners/rover-mppi.yaml).
  { label: 'rooms-v1 rover-mppi 16x15', scenario: rooms, robot: 'rover', options: { samples: 16, horizon: 15, knots: 3, temperature: 0.3, noise: 0.5 }, planning: { physicsDt: 0.02, solverIterations: 1 } },
];

function configOf(definition: PlannerDefinition<any>, options: Record<string, unknown>): unknown {
  return (definition.schema['~standard'].validate({ ...definition.defaults, ...options }) as { value: unknown }).value;
}

console.log(`load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')}; threads ${THREADS} vs 1, ${PLANS} plans each`);
for (const c of cases) {
  const robot = loadBuiltinRobot(c.robot);
  const env = await createEnv(c.scenario, robot);
  const one = await SimulatorModel.create(c.scenario, robot, {}, c.planning);
  const local = await SimulatorModel.create(c.scenario, robot, {}, c.planning);
  const many = await ParallelSimulatorModel.create(local, { scenario: c.scenario.name, robot, options: {}, planning: c.planning }, { threads: THREADS, workerFile: WORKER });
  const context = { actionSpec: env.actionSpec, observationSpec: env.observationSpec, controlDt: env.controlDt };
  const planners = [one, many].map((model) => mppiPlanner.create(configOf(mppiPlanner, c.options) as never, { ...context, rng: new Rng(0), model }));
  planners.forEach((p) => p.reset(1));
  let { observation } = env.reset({ seed: 1 });
  const ms = [0, 0];
  const cpu = [0, 0];
  let time = 0;
  for (let step = 0; step < PLANS + WARMUP; step++) {
    const snapshot = env.snapshot();
    const actions: Float64Array[] = [];
    for (const [i, planner] of planners.entries()) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      actions.push((await planner.plan({ observation, time, step, snapshot })).action(time));
      const c = process.cpuUsage(c0);
      if (step >= WARMUP) {
        ms[i] += performance.now() - t0;
        cpu[i] += (c.user + c.system) / 1000;
      }
    }
    if (actions[0].some((v, k) => !Object.is(v, actions[1][k]))) throw new Error(`${c.label}: step ${step}: ${THREADS} threads planned other bits than 1`);
    const r = env.step(actions[0]);
    observation = r.observation;
    time = r.info.time;
    if (r.terminated || r.truncated) ({ observation } = env.reset({ seed: 1 }));
  }
  const [t1, tn] = ms.map((m) => m / PLANS);
  const [c1, cn] = cpu.map((m) => m / PLANS);
  console.log(
    `${c.label.padEnd(28)} wall: 1 thread ${t1.toFixed(1)} ms, ${THREADS} threads ${tn.toFixed(1)} ms, speed-up ${(t1 / tn).toFixed(2)}x  ` +
      `cpu: ${c1.toFixed(1)} ms vs ${cn.toFixed(1)} ms (×${(cn / c1).toFixed(2)})  same actions`,
  );
  planners.forEach((p) => p.dispose());
  one.free();
  many.free();
  await many.closed;
  env.free();
}
console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
