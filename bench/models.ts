// npm run bench:models — world-model speed per TensorFlow.js backend (wasm-onnx: tfjs-wasm with its matMuls and bias
// sums on onnxruntime's kernels): training samples/s with each BatchMatMul gradient (the backend's own first: stock on
// wasm-onnx, explicit-transpose elsewhere), batched latent rollout throughput, MPPI (256 samples × 30 steps) planning
// latency on the latent model, the same two on onnxruntime-node (OnnxLatentModel, beside tfjs-wasm) when it loads,
// and, when Debian's python3-torch is installed, the same network's training step in PyTorch, one thread each, in
// alternating rounds of tfjs-wasm, wasm-onnx and PyTorch (BENCH_TORCH_ROUNDS, 5).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseWithSchema, Rng, type DynamicsModel } from '@itinera/core';
import { mppiPlanner } from '@itinera/mpc';
import { createEnv } from '@itinera/physics';
import { loadBuiltinRobot } from '@itinera/robots';
import { reach } from '@itinera/sim-reach';
import { collect, initBackend, LatentDynamicsModel, loadOnnxRuntime, loadTrainConfig, mlpStepsPerSecond, ObservedEnv, OnnxLatentModel, train, useMatMulGradient, BACKEND_NAMES, type BackendName, type MatMulGradient } from '@itinera/world-model';

const CONFIG = process.env.BENCH_CONFIG ?? 'configs/train/reach-jepa.yaml';
const TRAIN_STEPS = Number(process.env.BENCH_TRAIN_STEPS ?? 40);
const PLANS = Number(process.env.BENCH_PLANS ?? 100);
const WARMUP_PLANS = Number(process.env.BENCH_WARMUP ?? 20);
/** Threads an ONNX rollout is split over, beside 1 (default: the machine's cores). */
const ONNX_THREADS = Number(process.env.BENCH_ONNX_THREADS ?? availableParallelism());
const TORCH_ROUNDS = Number(process.env.BENCH_TORCH_ROUNDS ?? 5);
/** The plain MLP of DEPENDENCIES.md, batch 256: comparable with PyTorch. */
const MLP = [64, 256, 256, 32];

const robot = loadBuiltinRobot('reacher');
const root = mkdtempSync(join(tmpdir(), 'itinera-bench-models-'));
const data = join(root, 'data');
const live = await createEnv(reach, robot);
collect(live, data, { steps: 3000, seed: 0, scenarioOptions: {}, episodeSteps: 100 });
const env = new ObservedEnv(live);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function trainSamplesPerSecond(backend: string): Promise<number> {
  const config = loadTrainConfig(CONFIG);
  Object.assign(config.training, { steps: TRAIN_STEPS, readoutSteps: 0, checkpointEvery: 1_000_000, logEvery: 1_000_000 });
  const out = join(root, `train-${backend}-${Math.random().toString(36).slice(2)}`);
  const metrics = await train({ data, config, out, backend });
  return metrics.samplesPerSecond;
}

const rows: Array<Record<string, string | number>> = [];
for (const name of BACKEND_NAMES) {
  let backend;
  try {
    backend = await initBackend(name as BackendName);
  } catch (error) {
    console.error(`skip ${name}: ${(error as Error).message}`);
    continue;
  }
  const row: Record<string, string | number> = { backend: backend.description };
  // The backend's own gradient (initBackend's choice) in the first two columns, the other one after.
  const [own, other]: MatMulGradient[] = name === 'wasm-onnx' ? ['stock', 'explicit-transpose'] : ['explicit-transpose', 'stock'];
  row['MLP steps/s'] = mlpStepsPerSecond(MLP, 256);
  row['train samples/s'] = await trainSamplesPerSecond(backend.description);
  useMatMulGradient(other);
  row['MLP steps/s (other grad)'] = mlpStepsPerSecond(MLP, 256);
  row['train samples/s (other grad)'] = name === 'cpu' ? NaN : await trainSamplesPerSecond(backend.description);
  useMatMulGradient(own);

  // A model with the config's sizes (trained briefly: speed does not depend on the weights).
  const modelDir = join(root, `model-${name}`);
  const config = loadTrainConfig(CONFIG);
  Object.assign(config.training, { steps: 5, readoutSteps: 0, checkpointEvery: 5 });
  await train({ data, config, out: modelDir, backend: backend.description });
  const latent = LatentDynamicsModel.load(modelDir);
  Object.assign(row, await planningSpeed(latent));
  latent.free();
  rows.push(row);

  // The ONNX path of the same model, beside tfjs-wasm (its encoder and cost run on wasm), on 1 thread and split
  // over ONNX_THREADS.
  if (name === 'wasm') {
    for (const threads of [...new Set([1, ONNX_THREADS])]) {
      const onnx = await OnnxLatentModel.load(modelDir, { threads }).catch((error: Error) => (console.error(`skip onnx: ${error.message}`), undefined));
      if (!onnx) break;
      rows.push({ backend: `${onnx.description} + ${backend.description}`, 'MLP steps/s': NaN, 'train samples/s': NaN, 'MLP steps/s (other grad)': NaN, 'train samples/s (other grad)': NaN, ...(await planningSpeed(onnx)) });
      onnx.free();
    }
  }
}

/** Batched rollout throughput (256 × 30, median of 10) and MPPI 256×30 plan latency over PLANS plans (after WARMUP_PLANS) on `model`. */
async function planningSpeed(model: DynamicsModel): Promise<Record<string, number>> {
  const row: Record<string, number> = {};
  const obs = env.reset({ seed: 1 }).observation;
  const batch = 256;
  const horizon = 30;
  const actions = Float64Array.from({ length: batch * horizon * 2 }, (_, i) => Math.sin(i));
  for (let i = 0; i < 3; i++) await model.rollout(obs, actions, batch, horizon);
  const times: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t0 = performance.now();
    await model.rollout(obs, actions, batch, horizon);
    times.push(performance.now() - t0);
  }
  row['rollout steps/s (256×30)'] = (batch * horizon * 1000) / median(times);

  const mppi = mppiPlanner.create(parseWithSchema(mppiPlanner.schema, { ...mppiPlanner.defaults, samples: 256, horizon: 30 }, 'mppi'), { actionSpec: env.actionSpec, observationSpec: env.observationSpec, controlDt: env.controlDt, rng: new Rng(0), model });
  mppi.reset(1);
  let observation = env.reset({ seed: 1 }).observation;
  let time = 0;
  const planTimes: number[] = [];
  for (let step = 0; step < PLANS + WARMUP_PLANS; step++) {
    const t0 = performance.now();
    const policy = await mppi.plan({ observation, time, step, snapshot: env.snapshot() });
    if (step >= WARMUP_PLANS) planTimes.push(performance.now() - t0);
    const r = env.step(policy.action(time));
    // A reached target ends the episode: the next plans start a new one.
    ({ observation, info: { time } } = r.terminated || r.truncated ? env.reset({ seed: step }) : r);
  }
  mppi.dispose();
  planTimes.sort((a, b) => a - b);
  row['MPPI 256×30 ms (mean)'] = planTimes.reduce((s, t) => s + t, 0) / planTimes.length;
  row['MPPI 256×30 ms (p50)'] = percentile(planTimes, 0.5);
  row['MPPI 256×30 ms (p95)'] = percentile(planTimes, 0.95);
  return row;
}

// PyTorch on the CPU, the same MLP and batch: an outside reference.
const torchScript = `
import time, torch
torch.set_num_threads(1)
torch.manual_seed(0)
net = torch.nn.Sequential(torch.nn.Linear(64, 256), torch.nn.ReLU(), torch.nn.Linear(256, 256), torch.nn.ReLU(), torch.nn.Linear(256, 32))
opt = torch.optim.Adam(net.parameters(), 1e-3)
x, y = torch.randn(256, 64), torch.randn(256, 32)
def step():
    opt.zero_grad(); loss = torch.nn.functional.mse_loss(net(x), y); loss.backward(); opt.step()
for _ in range(10): step()
t0 = time.perf_counter(); n = 200
for _ in range(n): step()
print(n / (time.perf_counter() - t0))
`;
// Debian's interpreter first: python3 on PATH may be another install without the Debian package.
const python = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0);
// One thread for torch and for the BLAS under it, as tfjs-wasm has (OpenBLAS would otherwise start its own threads).
const oneThread = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
let torchLine = 'PyTorch reference: python3-torch not installed (apt-get install python3-torch libopenblas0-pthread)';
if (python) {
  // Rounds alternate tfjs-wasm, tfjs-wasm with onnxruntime's kernels and PyTorch, 200 steps each, so a change of
  // machine speed hits all three; medians compared.
  const withOnnx = await initBackend('wasm-onnx').then(() => true, (error: Error) => (console.error(`skip wasm-onnx: ${error.message}`), false));
  const rates: Record<'wasm' | 'wasm-onnx' | 'torch', number[]> = { wasm: [], 'wasm-onnx': [], torch: [] };
  for (let round = 0; round < TORCH_ROUNDS; round++) {
    for (const backend of withOnnx ? (['wasm', 'wasm-onnx'] as const) : (['wasm'] as const)) {
      await initBackend(backend);
      rates[backend].push(mlpStepsPerSecond(MLP, 256, 200));
    }
    const torch = spawnSync(python, ['-c', torchScript], { encoding: 'utf8', env: oneThread });
    if (torch.status !== 0) throw new Error(`PyTorch reference failed: ${torch.stderr}`);
    rates.torch.push(Number(torch.stdout.trim().split(/\s+/)[0]));
  }
  const range = (xs: number[]) => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;
  const versus = (name: string, xs: number[]) => `${name} ${median(xs).toFixed(0)} (${range(xs)}), ${(median(xs) / median(rates.torch)).toFixed(2)}× PyTorch's`;
  torchLine =
    `MLP steps/s on the CPU, 1 thread each, ${TORCH_ROUNDS} alternating rounds, median (range): PyTorch ${median(rates.torch).toFixed(0)} (${range(rates.torch)}); ` +
    [versus('tfjs-wasm', rates.wasm), ...(withOnnx ? [versus('tfjs-wasm + onnxruntime kernels', rates['wasm-onnx'])] : [])].join('; ');
}

// ONNX rollouts against tfjs-wasm on the same model and machine.
const tfjsWasm = rows.find((r) => String(r.backend).startsWith('wasm'));
const onnxRows = rows.filter((r) => String(r.backend).startsWith('onnxruntime'));
const planMs = (r: Record<string, string | number>) => r['MPPI 256×30 ms (mean)'] as number;
const onnxLine = onnxRows.length === 0
  ? `ONNX rollouts: onnxruntime-node not measured (${await loadOnnxRuntime().then(() => 'tfjs-wasm did not load', (e: Error) => e.message)})`
  : onnxRows
      .map((r) => `${r.backend}: rollout throughput ×${((r['rollout steps/s (256×30)'] as number) / (tfjsWasm!['rollout steps/s (256×30)'] as number)).toFixed(2)} tfjs-wasm's, MPPI 256×30 plan ×${(planMs(tfjsWasm!) / planMs(r)).toFixed(2)} faster (mean latency)`)
      .concat(onnxRows.length > 1 ? [`ONNX threads ${ONNX_THREADS} vs 1: MPPI 256×30 plan ×${(planMs(onnxRows[0]) / planMs(onnxRows[1])).toFixed(2)} faster`] : [])
      .join('\n');

const headers = Object.keys(rows[0] ?? {});
const fmt = (v: string | number) => (typeof v === 'number' ? (Number.isNaN(v) ? '-' : v >= 100 ? v.toFixed(0) : v.toFixed(1)) : v);
console.log(`| ${headers.join(' | ')} |`);
console.log(`| ${headers.map(() => '---').join(' | ')} |`);
for (const r of rows) console.log(`| ${headers.map((h) => fmt(r[h])).join(' | ')} |`);
console.log(`\nMLP = ${MLP.join('→')}, batch 256, Adam; train = ${CONFIG} at its batch size; ${torchLine}`);
console.log(onnxLine);
writeFileSync(join(root, 'models.json'), JSON.stringify({ rows, torch: torchLine, onnx: onnxLine }, null, 1));
env.free();
rmSync(root, { recursive: true, force: true });
