import * as tf from '@tensorflow/tfjs';
import { initBackend, LatentDynamicsModel } from './packages/world-model/src/index.js';
await initBackend(process.argv[2] as any ?? 'wasm');
const m = LatentDynamicsModel.load('/tmp/wm/m1');
const obs = new Float64Array(27);
for (const [B, H] of [[64, 25], [256, 30]]) {
  const acts = new Float64Array(B * H * 2).map((_, i) => Math.sin(i));
  for (let i = 0; i < 3; i++) m.rollout(obs, acts, B, H);
  let t0 = performance.now(); const n = 10;
  for (let i = 0; i < n; i++) m.rollout(obs, acts, B, H);
  console.log('rollout', B, H, ((performance.now() - t0) / n).toFixed(1), 'ms');
  t0 = performance.now();
  for (let i = 0; i < 3; i++) m.costGradient(obs, acts.subarray(0, 8 * H * 2), 8, H);
  console.log('grad 8', H, ((performance.now() - t0) / 3).toFixed(1), 'ms');
}
const prof = await tf.profile(() => { m.rollout(obs, new Float64Array(256 * 30 * 2), 256, 30); });
const counts = new Map<string, { n: number; ms: number }>();
for (const k of prof.kernels) { const c = counts.get(k.name) ?? { n: 0, ms: 0 }; c.n++; c.ms += k.kernelTimeMs as number; counts.set(k.name, c); }
console.log('kernels', prof.kernels.length, [...counts.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 8).map(([n, c]) => `${n} ${c.n} ${c.ms.toFixed(1)}`).join(' | '));
console.log(tf.memory().numTensors);
