// npm run bench:memory — issue 13's "memory flat across episodes": `itinera run --sim reach --planner mppi
// --model-physics-dt 0.02 --episodes N` for N = 10 and 100, each its own process (peak RSS is a process's high-water
// mark), the CLI itself with bench/memory-preload.mjs preloaded to measure it. Prints a markdown table (episodes,
// peak RSS, heapUsed after a full GC, wasm memory, live Rapier worlds, tf.memory() tensors, wall time) and the ratio
// of the largest run's peak RSS to the smallest's; exits 1 when a run fails or that ratio exceeds 1.10.
// BENCH_MEMORY_EPISODES=3,10 picks other sizes (a quick check); BENCH_MEMORY_MODEL=DIR plans on a trained model.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunSummary } from '@itinera/core';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'packages', 'cli', 'bin', 'itinera.js');
const PRELOAD = join(import.meta.dirname, 'memory-preload.mjs');
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

/** `itinera run` with `episodes` episodes in one process, and what the preload measured in it. */
function run(episodes: number, dir: string): Promise<Measured> {
  const out = join(dir, `${episodes}.json`);
  const model = process.env.BENCH_MEMORY_MODEL ? ['--model', process.env.BENCH_MEMORY_MODEL] : [];
  const args = ['--expose-gc', '--import', PRELOAD, BIN, 'run', '--sim', 'reach-v1', '--planner', 'mppi', '--model-physics-dt', '0.02', '--episodes', String(episodes), ...model, '--json'];
  const began = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, BENCH_MEMORY_OUT: out }, stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
  return new Promise((resolve, reject) =>
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`itinera ${args.slice(3).join(' ')} exited ${code}`));
      const summary = JSON.parse(stdout) as RunSummary;
      const successes = summary.episodes.filter((e) => e.success).length;
      resolve({ episodes, successes, ...JSON.parse(readFileSync(out, 'utf8')), wallS: (performance.now() - began) / 1000 });
    }),
  );
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

async function main(): Promise<number> {
  const sizes = (process.env.BENCH_MEMORY_EPISODES ?? '10,100').split(',').map(Number);
  if (sizes.length < 2 || !sizes.every((n) => Number.isInteger(n) && n > 0)) {
    process.stderr.write(`bench:memory: BENCH_MEMORY_EPISODES must list two or more episode counts, as 10,100 (got '${process.env.BENCH_MEMORY_EPISODES}')\n`);
    return 1;
  }
  const dir = mkdtempSync(join(tmpdir(), 'itinera-bench-memory-'));
  const rows: Measured[] = [];
  for (const n of sizes) {
    process.stderr.write(`[bench:memory] ${n} episodes of reach · mppi (--model-physics-dt 0.02${process.env.BENCH_MEMORY_MODEL ? `, --model ${process.env.BENCH_MEMORY_MODEL}` : ''}) in one process\n`);
    rows.push(await run(n, dir));
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

process.exitCode = await main().catch((error: Error) => (process.stderr.write(`bench:memory: ${error.message}\n`), 1));
