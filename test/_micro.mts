import { createEnv, ParallelSimulatorModel, SimulatorModel } from '@itinera/physics';
import { loadBuiltinRobot } from '@itinera/robots';
import { reach } from '@itinera/sim-reach';
import { rooms } from '@itinera/sim-rooms';
const WORKER = new URL('file:///work/wt/threads/packages/cli/dist/rollout-worker.js');
for (const [sc, rb, B, H] of [[reach, 'reacher', 64, 30], [rooms, 'rover', 16, 15]] as const) {
  const robot = loadBuiltinRobot(rb);
  const planning = { physicsDt: 0.02 };
  const env = await createEnv(sc, robot); env.reset({ seed: 1 });
  const snap = env.snapshot();
  console.log(sc.name, 'snapshot bytes', (snap as any).inner?.physics?.bytes?.length ?? (snap as any).physics?.bytes?.length);
  const one = await SimulatorModel.create(sc, robot, {}, planning);
  const mk = async (threads: number, helps: boolean) => ParallelSimulatorModel.create(await SimulatorModel.create(sc, robot, {}, planning), { scenario: sc.name, robot, options: {}, planning }, { threads, workerFile: WORKER, mainThreadHelps: helps });
  const w1 = await mk(1, false), p2 = await mk(2, true);
  const acts = new Float64Array(B * H * env.actionSpec.size).map(() => Math.random() - 0.5);
  for (const [name, m] of [['local', one], ['1 worker only', w1], ['main+1 worker', p2], ['local', one], ['1 worker only', w1], ['main+1 worker', p2]] as const) {
    const t0 = performance.now(); const N = 10;
    for (let i = 0; i < N; i++) await m.rollout(snap, acts, B, H);
    console.log(name, ((performance.now() - t0) / N).toFixed(2), 'ms');
  }
  one.free(); w1.free(); p2.free(); env.free();
}
process.exit(0);
