// The main thread's end of one rollout worker: posts jobs, resolves each with the worker's answer, and turns a worker
// that dies (an uncaught error, an exit) into one clear error for the job under way and every later one.
import type { Worker } from 'node:worker_threads';
import { ItineraError, type EnvSnapshot } from '@itinera/core';

/** Shared memory of one rollout call: actions in, costs and flags out, and the next sample to take. */
export interface SharedBatch {
  actions: Float64Array;
  costs: Float64Array;
  terminated: Uint8Array;
  next: Int32Array;
}

export type ToRolloutWorker = { type: 'rollout'; start: EnvSnapshot; batch: number; horizon: number; shared: SharedBatch } | { type: 'free' };
export type FromRolloutWorker = { type: 'ready' } | { type: 'done'; steps: number } | { type: 'error'; message: string };

export class RolloutThread {
  private pending?: { resolve: (steps: number) => void; reject: (e: Error) => void };
  private failure?: Error;
  private closing = false;
  readonly ready: Promise<void>;
  /** Resolves when the thread has exited, whatever the reason. */
  private readonly exited: Promise<void>;

  constructor(private readonly worker: Worker, index: number) {
    this.exited = new Promise((resolve) => worker.once('exit', () => resolve()));
    this.ready = new Promise((resolve, reject) => {
      const fail = (error: Error) => {
        this.failure ??= new ItineraError(`rollout worker ${index} stopped: ${error.message.split('\n')[0]}`);
        reject(this.failure);
        this.pending?.reject(this.failure);
        this.pending = undefined;
      };
      worker.on('message', (m: FromRolloutWorker) => {
        if (m.type === 'ready') return resolve();
        const pending = this.pending;
        this.pending = undefined;
        if (m.type === 'done') pending?.resolve(m.steps);
        else if (pending) pending.reject(new ItineraError(`rollout worker ${index}: ${m.message}`));
        else fail(new Error(m.message));
      });
      worker.on('error', fail);
      worker.on('exit', (code) => {
        if (!this.closing) fail(new Error(`exited with code ${code}`));
      });
    });
    this.ready.catch(() => {});
  }

  run(job: Extract<ToRolloutWorker, { type: 'rollout' }>): Promise<number> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.postMessage(job);
    });
  }

  /** Asks the worker to free its copy and exit; resolves when it has. */
  close(): Promise<void> {
    this.closing = true;
    if (this.failure) void this.worker.terminate();
    else this.worker.postMessage({ type: 'free' } satisfies ToRolloutWorker);
    return this.exited;
  }

  /** Ends the thread at once, as a crash would (tests). */
  kill(): Promise<number> {
    return this.worker.terminate();
  }
}
