// `itinera worker --queue redis://…`: takes benchmark episodes off the queue one at a time, runs each exactly as
// `itinera bench` does (on a worker thread, so the main thread keeps renewing the job's lock), and stores the
// result as the job's return value. A killed worker's job stalls and BullMQ hands it to another worker.
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { isItineraError, ItineraError } from '@itinera/core';
import { canonicalJson, suiteHash, type BenchRecord, type EpisodeSpec } from '@itinera/bench';
import { CODE_VERSION, jobTexts, QUEUE_NAME, redisConnection, redisName, type QueueJobData } from '../bench-queue.js';
import { EpisodeThread } from '../episode-thread.js';
import { resolveSuite } from './bench.js';

export interface WorkerArgs {
  queue: string;
  /** Seconds a job's lock lives without renewal; a worker silent that long is taken for dead (BullMQ default 30). */
  lockDuration?: number;
}

/** The suite a job names, as this worker resolves it: its episodes and thread, or why it must refuse them. */
interface Resolved {
  id: string;
  specs?: Map<string, EpisodeSpec>;
  thread?: EpisodeThread;
  problem?: string;
}

/** Runs until SIGINT/SIGTERM (after the current episode) or until it refuses a job; returns what it did. */
export async function workerCommand(args: WorkerArgs): Promise<string> {
  const lockSeconds = args.lockDuration ?? 30;
  if (!(lockSeconds > 0)) throw new ItineraError(`--lock-duration must be a positive number of seconds (got ${args.lockDuration})`);
  const connection = await redisConnection(args.queue);
  const log = (line: string) => process.stderr.write(`itinera worker: ${line}\n`);
  let current: Resolved | undefined;
  let refusal: ItineraError | undefined;
  let ran = 0;
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));

  const resolveJobSuite = async (data: QueueJobData): Promise<Resolved> => {
    const id = createHash('sha256').update(`${data.hash}\n${data.file}\n${data.text}\n${canonicalJson(data.includes ?? {})}`).digest('hex');
    if (current?.id === id && !current.thread?.failed) return current;
    await current?.thread?.terminate();
    current = { id };
    try {
      const { name, specs } = await resolveSuite(data.file, jobTexts(data));
      const here = suiteHash(name, specs);
      if (here !== data.hash) current.problem = `suite '${data.suite}' resolves to hash ${here} on this worker, the job was enqueued with hash ${data.hash}: the worker runs different code or plug-in configs; update it`;
      else current = { id, specs: new Map(specs.map((s) => [s.key, s])), thread: new EpisodeThread(data.file, jobTexts(data), data.hash) };
    } catch (error) {
      if (!isItineraError(error)) throw error;
      current.problem = `suite '${data.suite}' does not resolve on this worker: ${error.problems.join('; ')}`;
    }
    return current;
  };

  const processEpisode = async (job: Job<QueueJobData, BenchRecord>): Promise<BenchRecord> => {
    const { data } = job;
    log(`started ${data.spec.key}`);
    const resolved: Resolved = data.code === CODE_VERSION ? await resolveJobSuite(data) : { id: '', problem: `the job was enqueued by itinera ${data.code}, this worker is ${CODE_VERSION}` };
    const spec = resolved.specs?.get(data.spec.key);
    const problem = resolved.problem ?? (spec ? undefined : `episode ${data.spec.key} is not part of suite '${data.suite}' as this worker resolves it`);
    if (problem || !spec || !resolved.thread) {
      // Fail this one job visibly and stop: a worker that cannot run the suite would otherwise fail every job of it.
      refusal = new ItineraError(`refused episode ${data.spec.key}: ${problem}; this worker stops`);
      stop();
      void worker.close();
      throw new UnrecoverableError(`refused by ${workerName}: ${problem}`);
    }
    return resolved.thread.run(spec);
  };

  const workerName = `${hostname()}/${process.pid}`;
  const worker = new Worker<QueueJobData, BenchRecord>(QUEUE_NAME, processEpisode, {
    connection,
    name: workerName,
    concurrency: 1,
    lockDuration: lockSeconds * 1000,
    stalledInterval: lockSeconds * 1000,
    // A job whose workers die twice (out of memory, say) fails instead of killing every worker in turn.
    maxStalledCount: 2,
  });
  worker.on('completed', (job, r) => {
    ran++;
    log(`finished ${job.data.spec.key}: ${r.success ? 'success' : `failed (${r.failure})`} in ${r.steps} steps, ${(r.wallMs / 1000).toFixed(1)} s`);
  });
  worker.on('failed', (job, error) => {
    if (job && !(error instanceof UnrecoverableError)) log(`episode ${job.data.spec.key} failed: ${error.message.split('\n')[0]}`);
  });
  worker.on('error', (error) => log(`queue error: ${error.message}`));
  const onSignal = () => {
    log('stopping after the current episode (signal again to stop now; the episode then runs elsewhere)');
    process.once('SIGINT', () => process.exit(130));
    process.once('SIGTERM', () => process.exit(143));
    stop();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  log(`waiting for episodes on ${redisName(args.queue)} (queue '${QUEUE_NAME}', itinera ${CODE_VERSION})`);

  await stopped;
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  await worker.close();
  await current?.thread?.terminate();
  if (refusal) throw refusal;
  return `itinera worker: ran ${ran} episode${ran === 1 ? '' : 's'}\n`;
}
