// A worker thread that runs its share of OnnxLatentModel's rollouts (some of each plan's samples) on its own
// onnxruntime sessions, one per horizon. Jobs come through shared memory (onnx-thread.ts): the worker polls the flag
// between event-loop turns while plans keep coming, and sleeps after a pause until a message wakes it.
import { parentPort, workerData } from 'node:worker_threads';
import { CONTROL, STATE, type ToOnnxWorker } from './onnx-thread.js';
import { loadOnnxRuntime, type OrtSession } from './onnx-runtime.js';

/** How long the worker keeps polling after its last job. */
const POLL_MS = 100;

const port = parentPort!;
const control = workerData.control as Int32Array;
const { ort } = await loadOnnxRuntime();
const sessions = new Map<number, Promise<OrtSession>>();
let data: Float32Array<ArrayBufferLike> = new Float32Array(0);
let read = 0;
let polling = false;

const finish = (state: number) => {
  Atomics.store(control, CONTROL.state, state);
  Atomics.notify(control, CONTROL.state);
};
process.on('exit', () => finish(STATE.dead));

async function run(): Promise<void> {
  const [horizon, rows, latent, act, readouts] = [CONTROL.horizon, CONTROL.rows, CONTROL.latent, CONTROL.act, CONTROL.readouts].map((i) => control[i]);
  try {
    // Copies: onnxruntime takes arrays of its own, not views of shared memory.
    const z = data.slice(0, rows * latent);
    const a = data.slice(rows * latent, rows * latent + horizon * rows * act);
    const out = await (await sessions.get(horizon)!).run({ z: new ort.Tensor('float32', z, [rows, latent]), a: new ort.Tensor('float32', a, [horizon * rows, act]) });
    data.set((out.readout.data as Float32Array).subarray(0, horizon * rows * readouts), 0);
    finish(STATE.done);
  } catch (error) {
    const text = new TextEncoder().encode((error as Error).message).subarray(0, data.length * 4 - 8);
    new Int32Array(data.buffer, 0, 1)[0] = text.length;
    new Uint8Array(data.buffer, 4, text.length).set(text);
    finish(STATE.error);
  }
}

const ready = () => Atomics.load(control, CONTROL.state) === STATE.job && read === Atomics.load(control, CONTROL.sent);

async function poll(): Promise<void> {
  polling = true;
  let last = performance.now();
  for (;;) {
    if (ready()) {
      await run();
      last = performance.now();
    } else if (performance.now() - last > POLL_MS) {
      Atomics.store(control, CONTROL.sleeping, 1);
      if (!ready()) break;
      Atomics.store(control, CONTROL.sleeping, 0);
    }
    await new Promise((resolve) => setImmediate(resolve)); // messages come in between turns
  }
  polling = false;
}

port.on('message', async (m: ToOnnxWorker) => {
  read++;
  if (m.type === 'free') {
    for (const session of sessions.values()) await session.then((s) => s.release()).catch(() => undefined);
    process.exit(0);
  }
  if (m.type === 'graph') {
    const session = ort.InferenceSession.create(m.graph, m.sessionOptions);
    session.catch(() => undefined); // reported by the first run on it
    sessions.set(m.horizon, session);
  }
  if (m.type === 'data') data = new Float32Array(m.data);
  Atomics.store(control, CONTROL.sleeping, 0);
  if (!polling) void poll();
});
port.postMessage('ready');
void poll();
