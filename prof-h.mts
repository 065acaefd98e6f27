import { loadBuiltinRobot } from '@itinera/robots';
import { PhysicsEnv, initPhysics } from '@itinera/physics';
import { push } from '@itinera/sim-push';
await initPhysics();
const robot = await loadBuiltinRobot('rover');
for (const physics of [{}, { physicsDt: 0.02, substeps: 1, planning: true },{}, { physicsDt: 0.02, substeps: 1, planning: true }]) {
  const env = new PhysicsEnv(push, robot, { physics });
  env.reset({ seed: 0 });
  const snap = env.snapshot();
  const N = 2000;
  let t0 = performance.now();
  for (let i = 0; i < N; i++) { env.world.applyActuators([1, 1, 0]); env.world.step(); }
  const raw = (performance.now() - t0) / N;
  t0 = performance.now();
  for (let i = 0; i < N; i++) { if (i % 40 === 0) env.restore(snap); env.stepCost([1, 1, 0]); }
  const full = (performance.now() - t0) / N;
  t0 = performance.now();
  for (let i = 0; i < N; i++) env.restore(snap);
  const rest = (performance.now() - t0) / N;
  console.log(JSON.stringify(physics), `raw ${(raw*1000).toFixed(0)}us stepCost ${(full*1000).toFixed(0)}us restore ${(rest*1000).toFixed(0)}us`);
}
