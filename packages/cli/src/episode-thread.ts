// One worker thread (bench-worker.ts) that runs a suite's episodes one at a time for `itinera worker`: episodes
// block their thread for seconds to minutes, and the main thread must stay free to renew the job's lock in Redis.
import { Worker } from 'node:worker_threads';
import { ItineraError } from '@itinera/core';
import type { BenchRecord, EpisodeSpec } from '@itinera/bench';
import type { FromWorker } from './bench-worker-pool.js';

const WORKER_FILE = new URL('./bench-worker.js', import.meta.url);

export class EpisodeThread {
  private readonly thread: Worker;
  private readonly ready: Promise<void>;
  private pending?: { resolve: (r: BenchRecord) => void; reject: (e: Error) => void };
  private dead?: Error;

  /** `texts`: the suite file and those it includes, by path, as the queue job carries them. */
  constructor(file: string, texts: Record<string, string>, hash: string) {
    this.thread = new Worker(WORKER_FILE, { workerData: { suite: file, texts, hash } });
    this.ready = new Promise((resolve, reject) => {
      const fail = (error: Error) => {
        this.dead ??= error;
        reject(error);
        this.pending?.reject(error);
        this.pending = undefined;
      };
      this.thread.on('message', (message: FromWorker) => {
        if (message.type === 'ready') return resolve();
        const pending = this.pending;
        this.pending = undefined;
        if (message.type === 'result') pending?.resolve(message.record);
        else if (!pending) fail(toError(message));
        else pending.reject(toError(message));
      });
      this.thread.on('error', fail);
      this.thread.on('exit', (code) => fail(new Error(`the episode thread exited with code ${code}`)));
    });
    // A thread that fails before its first episode is reported by run(), not as an unhandled rejection.
    this.ready.catch(() => {});
  }

  async run(spec: EpisodeSpec): Promise<BenchRecord> {
    await this.ready;
    if (this.dead) throw this.dead;
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.thread.postMessage(spec);
    });
  }

  get failed(): boolean {
    return this.dead !== undefined;
  }

  async terminate(): Promise<void> {
    await this.thread.terminate();
  }
}

function toError(message: Extract<FromWorker, { type: 'error' }>): Error {
  return message.unexpected ? new Error(message.problems.join('\n')) : new ItineraError(message.problems);
}
