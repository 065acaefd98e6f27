// Preloaded into `itinera run` by bench/memory.ts (node --expose-gc --import): watches the wasm heaps from the start
// and, when the run is over, writes what it left behind as JSON to $BENCH_MEMORY_OUT.
import { writeFileSync } from 'node:fs';
import { watchWasmMemories, wasmMemoryBytes } from './wasm-memory.mjs';

watchWasmMemories();
let reported = false;
process.on('beforeExit', async () => {
  if (reported) return;
  reported = true;
  globalThis.gc?.();
  const peakRss = process.resourceUsage().maxRSS * 1024;
  const { heapUsed } = process.memoryUsage();
  // The run's own module instances (loaded only now when the run did not need them: after the peak was read).
  const { livePhysicsWorlds } = await import('@itinera/physics');
  const tf = await import('@tensorflow/tfjs');
  const measured = { peakRss, heapUsed, wasm: wasmMemoryBytes(), liveWorlds: livePhysicsWorlds(), tensors: tf.memory().numTensors };
  writeFileSync(process.env.BENCH_MEMORY_OUT, JSON.stringify(measured));
});
