// npm run bench:memory — issue 13's "memory flat across episodes": `itinera run --sim reach --planner mppi
// --model-physics-dt 0.02` for 10 and for 100 episodes, each in its own process (peak RSS is a process's high-water
// mark), through runCommand, the code path of `itinera run`. Prints a markdown table (episodes, peak RSS, heapUsed
// after a full GC, wasm memory, live Rapier worlds, tf.memory() tensors, wall time) and the ratio of the peak RSS
// of the largest run to the smallest's; exits 1 when a run fails or that ratio exceeds 1.10.
// BENCH_MEMORY_EPISODES=3,10 picks other sizes (a quick check); BENCH_MEMORY_MODEL=DIR plans on a trained model.
import { spawn } from 'node:child_process';
import { watchWasmMemories, wasmMemoryBytes } from './wasm-memory.ts';

const TARGET = 1.1;

interface Measured {
  episodes: number;
  successes: number;
  peakRss: number;
  heapUsed: number;
  wasm: number;
  liveWorlds: number;
  tensors: number;
  wallS: number;
}

/** The child: N episodes in this process, then one JSON line of measurements on stdout. */
async function measure(episodes: number): Promise<Measured> {
  watchWasmMemories();
  const { runCommand } = await import('@itinera/cli');
  const { livePhysicsWorlds } = await import('@itinera/physics');
  const began = performance.now();
  const summary = await runCommand({ sim: 'reach', planner: 'mppi', modelPhysicsDt: 0.02, model: process.env.BENCH_MEMORY_MODEL, episodes, seed: 0, opt: [], simOpt: [], json: true });
  const wallS = (performance.now() - began) / 1000;
  globalThis.gc?.();
  const peakRss = process.resourceUsage().maxRSS * 1024;
  const { heapUsed } = process.memoryUsage();
  // Loaded only now (already loaded when a learned model ran), so it cannot raise the peak measured above.
  const tf = await import('@tensorflow/tfjs');
  const successes = summary.episodes.filter((e) => e.success).length;
  return { episodes, successes, peakRss, heapUsed, wasm: wasmMemoryBytes(), liveWorlds: livePhysicsWorlds(), tensors: tf.memory().numTensors, wallS };
}

function child(episodes: number): Promise<Measured> {
  const args = ['--expose-gc', '--import', 'tsx', import.meta.filename];
  const run = spawn(process.execPath, args, { env: { ...process.env, BENCH_MEMORY_CHILD: String(episodes) }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  run.stdout.on('data', (chunk: Buffer) => (out += chunk));
  return new Promise((resolve, reject) =>
    run.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!)) : reject(new Error(`the ${episodes}-episode run exited ${code}`)))),
  );
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

async function main(): Promise<number> {
  const sizes = (process.env.BENCH_MEMORY_EPISODES ?? '10,100').split(',').map(Number);
  if (sizes.length < 2 || !sizes.every((n) => Number.isInteger(n) && n > 0)) {
    process.stderr.write(`bench:memory: BENCH_MEMORY_EPISODES must list two or more episode counts, as 10,100 (got '${process.env.BENCH_MEMORY_EPISODES}')\n`);
    return 1;
  }
  const rows: Measured[] = [];
  for (const n of sizes) {
    process.stderr.write(`[bench:memory] ${n} episodes of reach · mppi (--model-physics-dt 0.02${process.env.BENCH_MEMORY_MODEL ? `, --model ${process.env.BENCH_MEMORY_MODEL}` : ''}) in one process\n`);
    rows.push(await child(n));
  }
  const lines = [
    '| episodes | successes | peak RSS | heapUsed after GC | wasm memory | live Rapier worlds | tf tensors | wall time |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.episodes} | ${r.successes} | ${mb(r.peakRss)} | ${mb(r.heapUsed)} | ${mb(r.wasm)} | ${r.liveWorlds} | ${r.tensors} | ${r.wallS.toFixed(0)} s |`),
  ];
  const [first, last] = [rows[0], rows[rows.length - 1]];
  const ratio = last.peakRss / first.peakRss;
  lines.push('', `peak RSS ${last.episodes} / ${first.episodes} episodes: ${ratio.toFixed(3)} (target ≤ ${TARGET})`);
  process.stdout.write(lines.join('\n') + '\n');
  return ratio <= TARGET ? 0 : 1;
}

const childEpisodes = process.env.BENCH_MEMORY_CHILD;
if (childEpisodes) process.stdout.write(JSON.stringify(await measure(Number(childEpisodes))) + '\n');
else process.exitCode = await main().catch((error: Error) => (process.stderr.write(`bench:memory: ${error.message}\n`), 1));
