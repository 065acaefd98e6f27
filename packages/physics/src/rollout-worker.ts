// The worker side of ParallelSimulatorModel: builds its planning copy once, then rolls out the samples it takes
// from the shared counter for each job, until asked to free the copy.
import { parentPort, workerData } from 'node:worker_threads';
import type { PlanningCopyRecipe } from './parallel-simulator-model.js';
import type { FromRolloutWorker, ToRolloutWorker } from './rollout-thread.js';
import type { SimulatorModel } from './simulator-model.js';

/** Call from a worker file: `build` turns the recipe (its workerData) into the worker's own simulator copy. */
export async function serveRollouts(build: (recipe: PlanningCopyRecipe) => Promise<SimulatorModel>): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('serveRollouts() runs inside a worker thread');
  const reply = (m: FromRolloutWorker) => port.postMessage(m);
  let model: SimulatorModel;
  try {
    model = await build(workerData as PlanningCopyRecipe);
  } catch (error) {
    return reply({ type: 'error', message: (error as Error).message });
  }
  port.on('message', (job: ToRolloutWorker) => {
    if (job.type === 'free') {
      model.free();
      port.close();
      return;
    }
    const { start, batch, horizon, shared } = job;
    const before = model.simulatedSteps;
    try {
      for (let b = Atomics.add(shared.next, 0, 1); b < batch; b = Atomics.add(shared.next, 0, 1)) {
        model.rolloutSample(start, shared.actions, b, horizon, shared.costs, shared.terminated);
      }
      reply({ type: 'done', steps: model.simulatedSteps - before });
    } catch (error) {
      reply({ type: 'error', message: (error as Error).message });
    }
  });
  reply({ type: 'ready' });
}
