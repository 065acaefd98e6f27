// Diagnostic (not committed): model vs simulator cost of hand-made candidates at push-v1's start.
import { createEnv, SimulatorModel } from '@itinera/physics';
import { loadBuiltinRobot } from '@itinera/robots';
import { push } from '@itinera/sim-push';
import { initBackend, TaskCostLatentModel } from '@itinera/world-model';
const [modelDir, seedArg, steps] = process.argv.slice(2);
await initBackend('wasm');
const rover = loadBuiltinRobot('rover');
const env = await createEnv(push, rover);
let obs = Float64Array.from(env.reset({ seed: Number(seedArg ?? 100) }).observation);
for (let i = 0; i < Number(steps ?? 0); i++) obs = Float64Array.from(env.step([3, 3, 0]).observation);
const inner = (env as any).inner;
const sim = await SimulatorModel.create(push, rover, {}, { physicsDt: 0.01 });
const learned = TaskCostLatentModel.load(modelDir, inner.task, rover);
const H = 40;
const cands: Record<string, number[]> = { zero: [0, 0, 0], fwd4: [4, 4, 0], fwd2: [2, 2, 0], back: [-3, -3, 0], spinL: [-3, 3, 0], spinR: [3, -3, 0], fwdLeft: [2, 4, 0], fwdRight: [4, 2, 0], armDown: [0, 0, 3] };
const names = Object.keys(cands);
const actions = new Float64Array(names.length * H * 3);
names.forEach((n, b) => { for (let h = 0; h < H; h++) actions.set(cands[n], (b * H + h) * 3); });
const snap = env.snapshot();
const s = sim.rollout(snap, actions, names.length, H).costs;
const l = learned.rollout(Object.assign({}, snap, { observation: obs }), actions, names.length, H).costs;
const sum = (c: Float64Array, b: number) => c.slice(b * H, (b + 1) * H).reduce((p, q) => p + q, 0);
for (const [b, n] of names.entries()) console.log(n.padEnd(9), 'sim', sum(s, b).toFixed(2), ' model', sum(l, b).toFixed(2));
const { stepMajor } = await import('../packages/world-model/src/latent-model.ts') as any;
const dec = (learned as any).decode(Float32Array.from(obs), stepMajor(actions, names.length, H, 3), names.length, H).readouts as Float32Array;
const ro = learned.model.file.readouts;
const R = ro.length;
for (const b of [1, 6]) for (const h of [0, 10, 20, 39]) console.log(names[b], h, ro.map((r, i) => `${r}=${dec[(h * names.length + b) * R + i].toFixed(2)}`).join(' '));
const L = learned as any;
const obstacles = L.collision?.obstacles(Float32Array.from(obs));
for (const b of [0, 1]) for (const h of [10, 30]) {
  const view = L.view.load(Float32Array.from(obs), dec, h * names.length + b);
  const g = L.guardrails(view, actions.subarray((b * H + h) * 3, (b * H + h + 1) * 3), [4, 4, 3]);
  console.log(names[b], h, JSON.stringify(g), 'collision', obstacles ? obstacles.depth(view) : 'none', JSON.stringify(inner.task.residuals(view, inner.state, [0, 0, 0])));
}
console.log(L.terms.map((t: any) => `${t.name}:${t.weight}`).join(' '));
