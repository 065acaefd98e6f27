import * as tf from '@tensorflow/tfjs';
import { Rng } from '@itinera/core';
import { initBackend, WorldModel, readEpisodes } from './packages/world-model/src/index.js';
import { createMlp, applyMlp } from './packages/world-model/src/mlp.js';
import { Adam } from './packages/world-model/src/adam.js';
await initBackend('wasm');
const model = WorldModel.load(process.argv[2]);
const eps = readEpisodes('/tmp/wm/reach-60k');
const val = readEpisodes('/tmp/wm/reach-val');
const O = 27;
const cat = (es: typeof eps) => { const n = es.reduce((s, e) => s + e.steps + 1, 0); const out = new Float32Array(n * O); let o = 0; for (const e of es) { out.set(e.observations, o); o += e.observations.length; } return { x: out, n }; };
const tr = cat(eps), va = cat(val);
const enc = (d: { x: Float32Array; n: number }) => tf.tidy(() => model.encode(model.normaliseObs(tf.tensor2d(d.x, [d.n, O])), true));
const ztr = enc(tr), zva = enc(va);
const rt = (d: { x: Float32Array; n: number }) => tf.tidy(() => model.readoutTargets(model.normaliseObs(tf.tensor2d(d.x, [d.n, O]))));
const ytr = rt(tr), yva = rt(va);
const std = model.readoutIndex.map((c) => model.file.normalisation.obsStd[c]);
const report = (name: string, f: (z: tf.Tensor2D) => tf.Tensor2D) => tf.tidy(() => { const p = f(zva as tf.Tensor2D); const e = tf.sqrt(tf.mean(tf.square(tf.sub(p, yva)), 0)).dataSync(); console.log(name, Array.from(e).map((v, i) => (v * std[i]).toFixed(4)).join(' ')); });
report('existing readout', (z) => model.readoutNormalised(z, true));
for (const hidden of [[128, 128]]) {
  const head = createMlp([32, ...hidden, 4], new Rng(1));
  const vars = head.flatMap(({ w, b }) => [w, b]);
  const adam = new Adam(vars, 1e-3);
  const rng = new Rng(2);
  const t0 = performance.now();
  for (let s = 0; s < 3000; s++) {
    const idx = tf.tensor1d(Array.from({ length: 256 }, () => rng.int(tr.n)), 'int32');
    tf.tidy(() => { const { grads } = tf.variableGrads(() => tf.mean(tf.square(tf.sub(applyMlp(head, tf.gather(ztr, idx) as tf.Tensor2D, 'elu'), tf.gather(ytr, idx)))) as tf.Scalar, vars); adam.apply(grads); });
    idx.dispose();
    if ((s + 1) % 1000 === 0) report(`head ${hidden} step ${s + 1}`, (z) => applyMlp(head, z, 'elu'));
  }
  console.log('s', (performance.now() - t0) / 1000);
}
