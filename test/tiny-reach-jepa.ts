// Shared by the surprise and adaptation tests: a reach JEPA small enough to train in seconds on reacher data.
import { trainConfigSchema } from '@itinera/world-model';

export const tinyReachJepa = trainConfigSchema.parse({
  model: 'jepa',
  options: { inverseDynamics: 0.1 },
  network: { latent: 8, hidden: 32, layers: 1, readoutHidden: 16 },
  readouts: ['error.x', 'error.y', 'qvel.*'],
  cost: [
    { name: 'distance', channels: ['error.x', 'error.y'], norm: 'smooth-l2', weight: 1, p: 0.02 },
    { name: 'velocity', channels: ['qvel.*'], norm: 'quadratic', weight: 0.002 },
  ],
  training: { steps: 200, batch: 24, rolloutSteps: 3, learningRate: 0.003, readoutSteps: 10, readoutBatch: 64, readoutWindows: 400, checkpointEvery: 100, logEvery: 50 },
});
