// A worker thread that runs its share of OnnxLatentModel's rollouts (some of each plan's samples) on its own
// onnxruntime sessions, one per horizon. Jobs come through shared memory (onnx-thread.ts): while plans keep coming the
// worker waits on the flag in 1 ms slices between event-loop turns; after a pause it sleeps until a message wakes it.
import { parentPort, workerData } from 'node:worker_threads';
import { CONTROL, STATE, type OnnxWorkerData, type ToOnnxWorker } from './onnx-thread.js';
import { loadOnnxRuntime, type OrtSession } from './onnx-runtime.js';

/** How long the worker keeps watching the flag after its last job before it sleeps. */
const WATCH_MS = 100;

const port = parentPort!;
const { control, sessionOptions } = workerData as OnnxWorkerData;
const { ort } = await loadOnnxRuntime();
const sessions = new Map<number, Promise<OrtSession>>();
let data: Float32Array<ArrayBufferLike> = new Float32Array(0);
let read = 0;
let watching = false;

function answer(state: number): void {
  Atomics.store(control, CONTROL.state, state);
  Atomics.notify(control, CONTROL.state);
}

async function run(): Promise<void> {
  const [horizon, rows, latent, act, readouts] = [CONTROL.horizon, CONTROL.rows, CONTROL.latent, CONTROL.act, CONTROL.readouts].map((i) => control[i]);
  try {
    // Copies: onnxruntime takes arrays of its own, not views of shared memory.
    const z = data.slice(0, rows * latent);
    const a = data.slice(rows * latent, rows * latent + horizon * rows * act);
    const out = await (await sessions.get(horizon)!).run({ z: new ort.Tensor('float32', z, [rows, latent]), a: new ort.Tensor('float32', a, [horizon * rows, act]) });
    data.set((out.readout.data as Float32Array).subarray(0, horizon * rows * readouts), 0);
    answer(STATE.done);
  } catch (error) {
    // The message goes back in the data: its length, then UTF-8 bytes (cut to fit).
    const text = new TextEncoder().encode((error as Error).message).subarray(0, data.length * 4 - 4);
    new Int32Array(data.buffer, 0, 1)[0] = text.length;
    new Uint8Array(data.buffer, 4, text.length).set(text);
    answer(STATE.error);
  }
}

const ready = () => Atomics.load(control, CONTROL.state) === STATE.job && read === Atomics.load(control, CONTROL.sent);

async function watch(): Promise<void> {
  watching = true;
  let last = performance.now();
  for (;;) {
    if (ready()) {
      await run();
      last = performance.now();
    } else if (performance.now() - last > WATCH_MS) {
      Atomics.store(control, CONTROL.sleeping, 1);
      if (!ready()) break;
      Atomics.store(control, CONTROL.sleeping, 0);
    } else {
      // start() notifies on this slot; the slice is short so messages still come in between.
      Atomics.wait(control, CONTROL.state, Atomics.load(control, CONTROL.state), 1);
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  watching = false;
}

port.on('message', async (m: ToOnnxWorker) => {
  read++;
  if (m.type === 'free') {
    for (const session of sessions.values()) await session.then((s) => s.release()).catch(() => undefined);
    process.exit(0);
  }
  if (m.type === 'graph') {
    const session = ort.InferenceSession.create(m.graph, sessionOptions);
    session.catch(() => undefined); // reported by the first job on it
    sessions.set(m.horizon, session);
  }
  if (m.type === 'data') data = new Float32Array(m.data);
  Atomics.store(control, CONTROL.sleeping, 0);
  if (!watching) void watch();
});
port.postMessage('ready');
void watch();
