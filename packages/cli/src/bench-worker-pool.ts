// Runs benchmark episodes on N worker threads: each worker takes the next episode as soon as it is free,
// and every result comes back to the caller on the main thread (the only writer of results.jsonl).
import { Worker } from 'node:worker_threads';
import { ItineraError } from '@itinera/core';
import type { BenchRecord, EpisodeSpec } from '@itinera/bench';

export type FromWorker = { type: 'ready' } | { type: 'result'; record: BenchRecord } | { type: 'error'; problems: string[]; unexpected?: true };

const WORKER_FILE = new URL('./bench-worker.js', import.meta.url);

/**
 * Resolves once every episode of `todo` has finished; the first error stops all workers and rejects.
 * Each worker resolves `suiteFile` itself and refuses to run when its episodes hash differently from `suiteHash`;
 * each episode's plans roll out on `threads` threads.
 */
export function runOnWorkers(suiteFile: string, suiteHash: string, todo: EpisodeSpec[], workers: number, threads: number, finished: (record: BenchRecord) => void): Promise<void> {
  const queue = [...todo];
  let outstanding = todo.length;
  const pool: Worker[] = [];
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const stop = (error?: Error) => {
      if (settled) return;
      settled = true;
      for (const w of pool) void w.terminate();
      if (error) reject(error);
      else resolve();
    };
    const next = (worker: Worker) => {
      const spec = queue.shift();
      if (spec) worker.postMessage(spec);
    };
    for (let i = 0; i < workers; i++) {
      const worker = new Worker(WORKER_FILE, { workerData: { suite: suiteFile, hash: suiteHash, threads } });
      pool.push(worker);
      worker.on('message', (message: FromWorker) => {
        if (message.type === 'error') {
          stop(message.unexpected ? new Error(`a benchmark worker failed: ${message.problems.join('\n')}`) : new ItineraError(message.problems));
        } else if (message.type === 'ready') {
          next(worker);
        } else {
          try {
            finished(message.record);
          } catch (error) {
            return stop(error as Error);
          }
          if (--outstanding === 0) stop();
          else next(worker);
        }
      });
      worker.on('error', (error) => stop(error));
      worker.on('exit', (code) => {
        if (!settled && code !== 0) stop(new Error(`a benchmark worker exited with code ${code} before the suite finished`));
      });
    }
  });
}
