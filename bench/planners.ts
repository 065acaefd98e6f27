// npm run bench:planners — planning latency per control step and rollout throughput for each sampling
// optimiser at a fixed compute budget, on reach-v1 and ant-goto-v1, with the planner's simulator copy
// at the live physics step (exact) and at a coarse 1/50 s step.
import { Rng, type ScenarioDefinition } from '@itinera/core';
import { cemPlanner, mppiPlanner, predictiveSamplingPlanner, type SamplingPlanner } from '@itinera/mpc';
import { createEnv, SimulatorModel } from '@itinera/physics';
import { loadBuiltinRobot } from '@itinera/robots';
import { antGoto } from '@itinera/sim-ant-goto';
import { reach } from '@itinera/sim-reach';

const PLANS = Number(process.env.BENCH_PLANS ?? 20);
const HORIZON = 30;
const SAMPLES = 64;
const BUDGET = SAMPLES * HORIZON; // rollout control steps per plan, equal for every optimiser

const cases: Array<{ scenario: ScenarioDefinition<any>; robot: string }> = [
  { scenario: reach, robot: 'reacher' },
  { scenario: antGoto, robot: 'ant' },
];
const planners = [predictiveSamplingPlanner, cemPlanner, mppiPlanner];
const modelSteps: Array<number | undefined> = [undefined, 0.02];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

const rows: string[][] = [];
for (const { scenario, robot: robotName } of cases) {
  const robot = loadBuiltinRobot(robotName);
  for (const physicsDt of modelSteps) {
    for (const def of planners) {
      const env = await createEnv(scenario, robot);
      const model = await SimulatorModel.create(scenario, robot, {}, { physicsDt });
      const config = def.schema['~standard'].validate({ ...def.defaults, horizon: HORIZON, budget: BUDGET }) as { value: any };
      const planner = def.create(config.value, { actionSpec: env.actionSpec, observationSpec: env.observationSpec, controlDt: env.controlDt, rng: new Rng(0), model }) as SamplingPlanner;
      planner.reset(1);
      let { observation } = env.reset({ seed: 1 });
      const times: number[] = [];
      let time = 0;
      for (let step = 0; step < PLANS + 2; step++) {
        const t0 = performance.now();
        const before = model.simulatedSteps;
        const policy = await planner.plan({ observation, time, step, snapshot: env.snapshot() });
        if (step >= 2) times.push(performance.now() - t0); // the first plans warm up the JIT
        if (model.simulatedSteps - before > BUDGET) throw new Error(`${def.name} exceeded its budget`);
        const r = env.step(policy.action(time));
        observation = r.observation;
        time = r.info.time;
        if (r.terminated || r.truncated) ({ observation } = env.reset({ seed: 1 }));
      }
      const sorted = [...times].sort((a, b) => a - b);
      const mean = times.reduce((s, t) => s + t, 0) / times.length;
      const substeps = Math.round(env.controlDt / (physicsDt ?? 1 / 200));
      rows.push([
        scenario.name,
        def.name,
        physicsDt ? `coarse ${physicsDt}` : 'exact 1/200',
        String(planner.budget),
        mean.toFixed(1),
        percentile(sorted, 0.5).toFixed(1),
        percentile(sorted, 0.95).toFixed(1),
        ((BUDGET / mean) * 1000).toFixed(0),
        ((BUDGET * substeps / mean) * 1000).toFixed(0),
        (1000 / mean).toFixed(1),
      ]);
      planner.dispose();
      model.free();
      env.free();
    }
  }
}

const header = ['scenario', 'planner', 'model physics', 'budget', 'plan ms mean', 'p50', 'p95', 'rollout control steps/s', 'physics steps/s', 'plans/s (Hz)'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
console.log(line(header));
console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
for (const r of rows) console.log(line(r));
console.log(`\nbudget = samples × horizon × iterations = ${SAMPLES} × ${HORIZON} control steps per plan (CEM: fewer samples per iteration, 3 iterations); ${PLANS} plans each after 2 warm-up plans; one thread. Target: ≤ 20 ms per plan (≥ 50 Hz).`);
