// The main thread's end of one ONNX rollout worker (onnx-worker.ts). A rollout's share goes in and its readouts come
// back through shared memory, with a flag the worker polls while plans keep coming: a message each way cost ~0.3 ms
// of a ~4 ms share. Graphs, bigger buffers and wake-ups after a pause still travel as messages, counted so that the
// worker takes a job only once it has read every message sent before it.
import { Worker } from 'node:worker_threads';
import { ItineraError } from '@itinera/core';

/** Slots of the control array shared with the worker. */
export const CONTROL = { state: 0, sent: 1, sleeping: 2, horizon: 3, rows: 4, latent: 5, act: 6, readouts: 7, length: 8 } as const;
/** Values of the state slot: the main thread sets JOB; the worker answers DONE, ERROR (a message in the data) or DEAD. */
export const STATE = { idle: 0, job: 1, done: 2, error: 3, dead: 4 } as const;

export type ToOnnxWorker =
  | { type: 'graph'; horizon: number; graph: Uint8Array; sessionOptions: Record<string, unknown> }
  | { type: 'data'; data: SharedArrayBuffer }
  | { type: 'wake' }
  | { type: 'free' };

const WORKER_FILE = new URL('./onnx-worker.js', import.meta.url);
/** How long `finish` blocks the main thread before it waits with events let in. */
const BLOCKING_WAIT_MS = 20;
// Atomics.waitAsync (ES2024; in Node since 16), typed here for the ES2022 library.
const waitAsync = (Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number, t: number): { async: boolean; value: Promise<string> | string } }).waitAsync;

export class OnnxThread {
  private readonly control = new Int32Array(new SharedArrayBuffer(CONTROL.length * 4));
  private readonly worker = new Worker(WORKER_FILE, { workerData: { control: this.control } });
  private readonly horizons = new Set<number>();
  private data: Float32Array<ArrayBufferLike> = new Float32Array(0);
  private sent = 0;
  private failure?: Error;
  private closing = false;
  readonly ready: Promise<void>;
  /** Rejects with the failure once the worker has stopped for any reason but `close`. */
  private readonly stopped: Promise<never>;

  constructor(private readonly index: number) {
    let stop!: (error: Error) => void;
    this.stopped = new Promise<never>((_, reject) => (stop = reject));
    const fail = (error: Error) => {
      this.failure ??= new ItineraError(`onnx rollout worker ${index} stopped: ${error.message.split('\n')[0]}`);
      stop(this.failure);
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => {
      if (!this.closing) fail(new Error(`exited with code ${code}`));
    });
    this.ready = Promise.race([new Promise<void>((resolve) => this.worker.once('message', () => resolve())), this.stopped]);
    for (const promise of [this.stopped, this.ready]) promise.catch(() => {});
  }

  private post(message: ToOnnxWorker): void {
    Atomics.store(this.control, CONTROL.sent, ++this.sent);
    this.worker.postMessage(message);
  }

  /**
   * Hands the worker a rollout of `a` (normalised actions, step-major [horizon × rows, act]) from latents `z`
   * [rows, latent] on `graph` (sent once per horizon); `finish` collects the readouts.
   */
  start(graph: Uint8Array, sessionOptions: Record<string, unknown>, horizon: number, sizes: { latent: number; act: number; readouts: number }, z: Float32Array, a: Float32Array): void {
    if (this.failure) throw this.failure;
    const rows = z.length / sizes.latent;
    if (!this.horizons.has(horizon)) {
      this.horizons.add(horizon);
      this.post({ type: 'graph', horizon, graph, sessionOptions });
    }
    const needed = Math.max(z.length + a.length, horizon * rows * sizes.readouts, 256);
    if (this.data.length < needed) {
      this.data = new Float32Array(new SharedArrayBuffer(needed * 4));
      this.post({ type: 'data', data: this.data.buffer as SharedArrayBuffer });
    }
    this.data.set(z, 0);
    this.data.set(a, z.length);
    const c = this.control;
    [c[CONTROL.horizon], c[CONTROL.rows], c[CONTROL.latent], c[CONTROL.act], c[CONTROL.readouts]] = [horizon, rows, sizes.latent, sizes.act, sizes.readouts];
    Atomics.store(c, CONTROL.state, STATE.job);
    // The worker stops polling after a pause: a message wakes it (it checks the flag again before it sleeps).
    if (Atomics.load(c, CONTROL.sleeping) === 1) this.post({ type: 'wake' });
  }

  /**
   * Waits for the share `start` handed out; its readouts, step-major [horizon × rows, readouts]. The first
   * milliseconds block (a share is due about when the main thread's own is done); after that the wait lets events in,
   * so a worker that died ends it with an error.
   */
  async finish(): Promise<Float32Array> {
    const c = this.control;
    Atomics.wait(c, CONTROL.state, STATE.job, BLOCKING_WAIT_MS);
    while (Atomics.load(c, CONTROL.state) === STATE.job) {
      if (this.failure) throw this.failure;
      const wait = waitAsync(c, CONTROL.state, STATE.job, 1000);
      if (wait.async) await Promise.race([wait.value, this.stopped]);
    }
    const state = Atomics.load(c, CONTROL.state);
    Atomics.store(c, CONTROL.state, STATE.idle);
    if (state === STATE.done) return this.data.slice(0, c[CONTROL.horizon] * c[CONTROL.rows] * c[CONTROL.readouts]);
    const message = state === STATE.error ? new TextDecoder().decode(new Uint8Array(this.data.buffer, 4, new Int32Array(this.data.buffer, 0, 1)[0]).slice()) : 'exited';
    this.failure ??= new ItineraError(`onnx rollout worker ${this.index}: ${message}`);
    throw this.failure;
  }

  /** Asks the worker to release its sessions and exit. */
  close(): void {
    this.closing = true;
    if (this.failure) void this.worker.terminate();
    else this.post({ type: 'free' });
  }

  /** Ends the thread at once, as a crash would (tests). */
  kill(): Promise<number> {
    return this.worker.terminate();
  }
}
