// The main thread's end of one ONNX rollout worker (onnx-worker.ts). A rollout's share goes in and its readouts come
// back through shared memory, with a flag the worker watches while plans keep coming: a message each way cost
// 0.3–0.6 ms of a ~4 ms share. Graphs, bigger buffers and wake-ups after a pause still travel as messages, counted so
// that the worker takes a job only once it has read every message sent before it.
import { Worker } from 'node:worker_threads';
import { ItineraError } from '@itinera/core';

/** Slots of the control array shared with the worker. */
export const CONTROL = { state: 0, sent: 1, sleeping: 2, horizon: 3, rows: 4, latent: 5, act: 6, readouts: 7 } as const;
const CONTROL_SLOTS = 8;
/** The state slot: the main thread sets JOB; the worker answers DONE or ERROR (its message in the data); DEAD: exited. */
export const STATE = { idle: 0, job: 1, done: 2, error: 3, dead: 4 } as const;

export type ToOnnxWorker = { type: 'graph'; horizon: number; graph: Uint8Array } | { type: 'data'; data: SharedArrayBuffer } | { type: 'wake' } | { type: 'free' };

/** What a worker is given at start. */
export interface OnnxWorkerData {
  control: Int32Array;
  sessionOptions: Record<string, unknown>;
}

const WORKER_FILE = new URL('./onnx-worker.js', import.meta.url);
/** How long `finish` blocks the main thread before it waits with events let in. */
const BLOCKING_WAIT_MS = 20;
// Atomics.waitAsync (ES2024; in Node since 16), typed here for the ES2022 library.
const waitAsync = (Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number): { async: boolean; value: Promise<string> | string } }).waitAsync;

export class OnnxThread {
  private readonly control = new Int32Array(new SharedArrayBuffer(CONTROL_SLOTS * 4));
  private readonly worker: Worker;
  private readonly horizons = new Set<number>();
  private data: Float32Array<ArrayBufferLike> = new Float32Array(0);
  private sent = 0;
  private failure?: Error;
  private closing = false;
  /** Resolves when the worker has loaded onnxruntime; rejects if it stops first. */
  readonly ready: Promise<void>;

  constructor(private readonly index: number, sessionOptions: Record<string, unknown>) {
    this.worker = new Worker(WORKER_FILE, { workerData: { control: this.control, sessionOptions } satisfies OnnxWorkerData });
    this.ready = new Promise((resolve, reject) => {
      this.worker.once('message', () => resolve());
      const fail = (error: Error) => {
        if (!this.closing) this.failure ??= new ItineraError(`onnx rollout worker ${index} stopped: ${error.message.split('\n')[0]}`);
        reject(this.failure ?? error);
        // Wakes a `finish` waiting on a job the worker will never answer.
        Atomics.store(this.control, CONTROL.state, STATE.dead);
        Atomics.notify(this.control, CONTROL.state);
      };
      this.worker.on('error', fail);
      this.worker.on('exit', (code) => fail(new Error(`exited with code ${code}`)));
    });
    // Between jobs the worker does not keep the process alive (a model never freed must not hang an exit).
    this.ready.then(() => this.worker.unref(), () => {});
  }

  private post(message: ToOnnxWorker): void {
    Atomics.store(this.control, CONTROL.sent, ++this.sent);
    this.worker.postMessage(message);
  }

  /**
   * Hands the worker a rollout of `a` (normalised actions, step-major [horizon × rows, act]) from latents `z`
   * [rows, latent] on `graph` (sent once per horizon); `finish` collects the readouts. One job at a time.
   */
  start(graph: Uint8Array, horizon: number, sizes: { latent: number; act: number; readouts: number }, z: Float32Array, a: Float32Array): void {
    if (this.failure) throw this.failure;
    if (this.closing) throw new Error(`onnx rollout worker ${this.index}: start after close`);
    const c = this.control;
    if (Atomics.load(c, CONTROL.state) !== STATE.idle) throw new Error(`onnx rollout worker ${this.index}: a job is already under way`);
    if (!this.horizons.has(horizon)) {
      this.horizons.add(horizon);
      this.post({ type: 'graph', horizon, graph });
    }
    const rows = z.length / sizes.latent;
    const needed = Math.max(z.length + a.length, horizon * rows * sizes.readouts, 256);
    if (this.data.length < needed) {
      this.data = new Float32Array(new SharedArrayBuffer(needed * 4));
      this.post({ type: 'data', data: this.data.buffer as SharedArrayBuffer });
    }
    this.data.set(z, 0);
    this.data.set(a, z.length);
    [c[CONTROL.horizon], c[CONTROL.rows], c[CONTROL.latent], c[CONTROL.act], c[CONTROL.readouts]] = [horizon, rows, sizes.latent, sizes.act, sizes.readouts];
    this.worker.ref();
    Atomics.store(c, CONTROL.state, STATE.job);
    Atomics.notify(c, CONTROL.state);
    // After a pause the worker sleeps until a message comes (it checks the flag again before it sleeps).
    if (Atomics.load(c, CONTROL.sleeping) === 1) this.post({ type: 'wake' });
  }

  /**
   * Waits for the share `start` handed out; its readouts, step-major [horizon × rows, readouts]. The first
   * milliseconds block (a share is due about when the main thread's own is done); after that the wait lets events in,
   * so a worker that dies ends it. A failed job rejects that job only; a dead worker rejects every later one.
   */
  async finish(): Promise<Float32Array> {
    const c = this.control;
    Atomics.wait(c, CONTROL.state, STATE.job, BLOCKING_WAIT_MS);
    while (Atomics.load(c, CONTROL.state) === STATE.job) {
      const wait = waitAsync(c, CONTROL.state, STATE.job);
      if (wait.async) await wait.value;
    }
    this.worker.unref();
    const state = Atomics.load(c, CONTROL.state);
    if (state === STATE.dead) throw this.failure ?? new ItineraError(`onnx rollout worker ${this.index} stopped`);
    Atomics.store(c, CONTROL.state, STATE.idle);
    if (state === STATE.done) return this.data.slice(0, c[CONTROL.horizon] * c[CONTROL.rows] * c[CONTROL.readouts]);
    const length = new Int32Array(this.data.buffer, 0, 1)[0];
    throw new ItineraError(`onnx rollout worker ${this.index}: ${new TextDecoder().decode(new Uint8Array(this.data.buffer, 4, length).slice())}`);
  }

  /** Asks the worker to release its sessions and exit. */
  close(): void {
    if (this.closing) return;
    this.closing = true;
    if (this.failure) void this.worker.terminate();
    else this.post({ type: 'free' });
  }

  /** Ends the thread at once, as a crash would (tests). */
  kill(): Promise<number> {
    return this.worker.terminate();
  }
}
