import * as tf from '@tensorflow/tfjs';
import { initBackend } from './packages/world-model/src/index.js';
await initBackend('wasm');
const origRun = (tf as any).engine().runKernel.bind((tf as any).engine());
const counts = new Map<string, { n: number; ms: number }>();
const eng = (tf as any).engine();
const orig = eng.runKernelFunc ? null : null;
const info = await tf.profile(async () => {
  const { train, loadTrainConfig } = await import('./packages/world-model/src/index.js');
  const config = loadTrainConfig('configs/train/reach-jepa.yaml');
  config.training.steps = 3; config.training.readoutSteps = 0; config.training.checkpointEvery = 1000; config.training.logEvery = 1000;
  const fs = await import('node:fs'); fs.rmSync('/tmp/wm/prof', { recursive: true, force: true });
  await train({ data: '/tmp/wm/reach-a', config, out: '/tmp/wm/prof', backend: 'wasm' });
});
for (const k of info.kernels) { const c = counts.get(k.name) ?? { n: 0, ms: 0 }; c.n++; c.ms += (k.kernelTimeMs as number); counts.set(k.name, c); }
const rows = [...counts.entries()].sort((a, b) => b[1].ms - a[1].ms);
console.log('kernels total', info.kernels.length, 'per step ~', info.kernels.length / 3);
for (const [n, c] of rows.slice(0, 25)) console.log(n.padEnd(20), c.n, c.ms.toFixed(1));
