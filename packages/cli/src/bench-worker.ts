// A worker thread of `itinera bench --workers N`: resolves the suite itself (its own Rapier and TensorFlow.js
// instances load in this thread), then runs the episodes the main thread sends, one at a time, and posts each result.
import { parentPort, workerData } from 'node:worker_threads';
import { isItineraError, ItineraError } from '@itinera/core';
import { runBenchEpisode, suiteHash, type EpisodeSpec } from '@itinera/bench';
import { resolveSuite } from './commands/bench.js';
import type { FromWorker } from './bench-worker-pool.js';

const port = parentPort!;
const send = (message: FromWorker) => port.postMessage(message);

try {
  // `texts`: the suite files as a queue job carries them, when this machine has no copy of them.
  const expected = workerData as { suite: string; hash: string; texts?: Record<string, string>; threads?: number };
  const { name, specs, setUp } = await resolveSuite(expected.suite, expected.texts, expected.threads);
  // The suite file (or a robot module it names) changed since the main thread read it: the episodes would differ.
  if (suiteHash(name, specs) !== expected.hash) throw new ItineraError(`${expected.suite} changed while the benchmark started; run it again`);
  port.on('message', (spec: EpisodeSpec | null) => {
    if (spec === null) return port.close();
    runBenchEpisode(spec, setUp).then(
      (record) => send({ type: 'result', record }),
      (error: unknown) => send(failure(error)),
    );
  });
  send({ type: 'ready' });
} catch (error) {
  send(failure(error));
}

function failure(error: unknown): FromWorker {
  if (isItineraError(error)) return { type: 'error', problems: error.problems };
  return { type: 'error', problems: [error instanceof Error ? (error.stack ?? error.message) : String(error)], unexpected: true };
}
