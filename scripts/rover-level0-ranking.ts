// Development check of a rover level-0 model: at states along noisy drives in rooms-v1, how the learned model orders
// MPPI-like candidate plans toward a subgoal compared with the simulator planning copy (Spearman ρ, mean over states).
//   node --import tsx scripts/rover-level0-ranking.ts MODEL_DIR [seed…]
import { Rng } from '@itinera/core';
import { builtinScenarios } from '@itinera/cli';
import { createEnv, SimulatorModel } from '@itinera/physics';
import { loadBuiltinRobot } from '@itinera/robots';
import { initBackend, ObservedEnv, TaskCostLatentModel, WorldModel } from '@itinera/world-model';

const [dir, ...seedArgs] = process.argv.slice(2);
const seeds = seedArgs.length > 0 ? seedArgs.map(Number) : [100, 101];
const scenario = builtinScenarios().get('rooms');
const robot = loadBuiltinRobot('rover');
const scenarioOptions = { maxSteps: 2500, closedDoors: true };
await initBackend('auto');
const live = await createEnv(scenario, robot, { scenarioOptions });
const env = new ObservedEnv(live);
const sim = await SimulatorModel.create(scenario, robot, { scenarioOptions }, { physicsDt: 0.02, solverIterations: 1 });
const learned = new TaskCostLatentModel(WorldModel.load(dir), live.inner.task, robot);
const ranks = (v: Float64Array) => {
  const order = Array.from(v.keys()).sort((a, b) => v[a] - v[b]);
  const r = new Float64Array(v.length);
  order.forEach((i, k) => (r[i] = k));
  return r;
};
const spearman = (a: Float64Array, b: Float64Array) => {
  const [ra, rb] = [ranks(a), ranks(b)];
  const n = a.length;
  let d = 0;
  for (let i = 0; i < n; i++) d += (ra[i] - rb[i]) ** 2;
  return 1 - (6 * d) / (n * (n * n - 1));
};
const totals = (costs: Float64Array, batch: number, horizon: number) => Float64Array.from({ length: batch }, (_, b) => costs.slice(b * horizon, (b + 1) * horizon).reduce((s, c) => s + c, 0));
const batch = 32;
const horizon = 15;
const rhos: number[] = [];
for (const seed of seeds) {
  const rng = new Rng(seed).fork('ranking');
  env.reset({ seed });
  const drive = [0, 0, 0];
  for (let step = 1; step <= 400; step++) {
    for (let i = 0; i < 3; i++) drive[i] = 0.9 * drive[i] + 0.4 * rng.normal() * (i < 2 ? 4 : 3) + (i < 2 ? 0.3 : 0);
    env.step(drive.map((u, i) => Math.max(-(i < 2 ? 4 : 3), Math.min(i < 2 ? 4 : 3, u))));
    if (step % 40 !== 0) continue;
    const p = env.snapshot().observation;
    const subgoal = { target: [p[6] + rng.uniform(-1.5, 1.5), p[7] + rng.uniform(-1.5, 1.5)] as [number, number] };
    const start = env.withSubgoal(env.snapshot(), subgoal) as { inner: unknown };
    // Smooth candidates, as MPPI's knot plans are: a constant command per sample plus a little noise.
    const base = Array.from({ length: batch * 3 }, () => rng.uniform(-1, 1));
    const actions = Float64Array.from({ length: batch * horizon * 3 }, (_, k) => {
      const b = Math.floor(k / (horizon * 3));
      const limit = k % 3 < 2 ? 4 : 3;
      return Math.max(-limit, Math.min(limit, (base[b * 3 + (k % 3)] + 0.1 * rng.normal()) * limit));
    });
    const onSim = totals(sim.rollout(start.inner as never, actions, batch, horizon).costs, batch, horizon);
    const onModel = totals(learned.rollout(start, actions, batch, horizon).costs, batch, horizon);
    rhos.push(spearman(onSim, onModel));
    if (process.env.SELF) rhos[rhos.length - 1] = spearman(onSim, totals(sim.rollout(start.inner as never, actions, batch, horizon).costs, batch, horizon));
  }
}
console.log(`${dir}: Spearman ρ (learned vs simulator plan costs) mean ${(rhos.reduce((s, r) => s + r, 0) / rhos.length).toFixed(3)} over ${rhos.length} states; min ${Math.min(...rhos).toFixed(3)}`);
learned.free();
sim.free();
env.free();
