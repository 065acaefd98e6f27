// `itinera bench --queue redis://… --suite FILE [--collect --out DIR]`: enqueue a suite's episodes for
// `itinera worker`s anywhere, then gather their results into the outputs a local run writes.
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue, type Job } from 'bullmq';
import { ItineraError } from '@itinera/core';
import { claimOutputDir, makeSuiteManifest, ResultsFile, writeBenchOutputs, type BenchRecord, type EpisodeSpec } from '@itinera/bench';
import { CODE_VERSION, jobIdOf, QUEUE_NAME, redisConnection, redisName, type QueueJobData } from '../bench-queue.js';
import { BenchProgress, checkEverySetUp, resolveSuite } from './bench.js';

export interface BenchQueueArgs {
  queue: string;
  suite: string;
  /** Gather the results into `out` instead of enqueueing. */
  collect: boolean;
  out?: string;
  resume: boolean;
  /** How often collecting asks Redis for finished episodes. */
  pollMs?: number;
}

type EpisodeJob = Job<QueueJobData, BenchRecord>;

export async function benchQueueCommand(args: BenchQueueArgs): Promise<string> {
  if (args.collect && !args.out) throw new ItineraError('bench --collect needs --out DIR');
  // Redis first: an unreachable queue is reported at once, before seconds of suite resolution.
  const connection = await redisConnection(args.queue);
  const { name, texts, composite, specs, claims, setUp } = await resolveSuite(args.suite);
  if (specs.some((s) => s.plannerRun?.adapt)) throw new ItineraError(`${args.suite}: a planner with adapt learns across its seeds, so its cell runs whole in one process: run this suite without --queue`);
  const manifest = makeSuiteManifest(name, specs, null, claims);
  const queue = new Queue<QueueJobData, BenchRecord>(QUEUE_NAME, { connection });
  queue.on('error', (error) => process.stderr.write(`itinera: queue error: ${error.message}\n`));
  try {
    if (args.collect) return await collect(args, args.out!, queue, name, manifest, specs);
    // A planner that refuses its model fails here, not on every worker.
    await checkEverySetUp(specs, setUp);
    const jobs = await Promise.all(specs.map((s) => queue.getJob(jobIdOf(s.key)) as Promise<EpisodeJob | undefined>));
    // A job carries every suite file, so a worker resolves the includes without copies of them.
    const { [args.suite]: text, ...includes } = texts;
    return await enqueue(args, queue, { text, ...(composite && { includes }) }, name, manifest.hash, specs, jobs);
  } finally {
    await queue.close();
  }
}

/** Adds the episodes not on the queue; idempotent (job id = results key). Failed jobs are retried, another suite version's replaced. */
async function enqueue(args: BenchQueueArgs, queue: Queue<QueueJobData, BenchRecord>, files: Pick<QueueJobData, 'text' | 'includes'>, suite: string, hash: string, specs: EpisodeSpec[], jobs: (EpisodeJob | undefined)[]): Promise<string> {
  const states = await Promise.all(jobs.map((job) => job?.getState()));
  const busy = specs.filter((_, i) => jobs[i] && jobs[i].data.hash !== hash && states[i] === 'active');
  if (busy.length > 0) {
    throw new ItineraError(`${busy.length} episodes (first: ${busy[0].key}) are being run for another version of suite '${suite}': collect that run or wait for it, then enqueue again`);
  }
  const fresh: EpisodeSpec[] = [];
  let retried = 0;
  let replaced = 0;
  for (const [i, spec] of specs.entries()) {
    const job = jobs[i];
    if (!job) fresh.push(spec);
    else if (job.data.hash !== hash) {
      await job.remove();
      fresh.push(spec);
      replaced++;
    } else if (states[i] === 'failed') {
      await job.retry('failed');
      retried++;
    }
  }
  await queue.addBulk(
    fresh.map((spec) => ({ name: 'episode', data: { file: args.suite, ...files, suite, hash, code: CODE_VERSION, spec }, opts: { jobId: jobIdOf(spec.key) } })),
  );
  const kept = specs.length - fresh.length - retried;
  const counts = [`${fresh.length - replaced} new`, replaced > 0 && `${replaced} replaced (another version of the suite)`, retried > 0 && `${retried} failed ones retried`, kept > 0 && `${kept} already queued or done`];
  return [
    `enqueued suite '${suite}' (hash ${hash}, ${specs.length} episodes) on ${redisName(args.queue)}: ${counts.filter(Boolean).join(', ')}`,
    `run \`itinera worker --queue ${redisName(args.queue)}\` on each machine, then \`itinera bench --queue ${redisName(args.queue)} --suite ${args.suite} --collect --out DIR\``,
    '',
  ].join('\n');
}

/** Waits until every episode has finished on some worker, appending each result once, then writes summary and report. */
async function collect(args: BenchQueueArgs, out: string, queue: Queue<QueueJobData, BenchRecord>, suite: string, manifest: ReturnType<typeof makeSuiteManifest>, specs: EpisodeSpec[]): Promise<string> {
  claimOutputDir(out, manifest);
  const results = new ResultsFile(join(out, 'results.jsonl'), args.resume);
  if (results.repairedBytes > 0) process.stderr.write(`itinera: dropped a half-written last line of ${results.path} (${results.repairedBytes} bytes)\n`);
  let pending = specs.filter((s) => !results.has(s.key));
  const failed: string[] = [];
  const progress = new BenchProgress(pending.length, `${suite} (queue)`);
  try {
    while (pending.length > 0) {
      const jobs = await Promise.all(pending.map((s) => queue.getJob(jobIdOf(s.key)) as Promise<EpisodeJob | undefined>));
      const missing = pending.filter((_, i) => !jobs[i]);
      if (missing.length > 0) throw new ItineraError(`${missing.length} of the suite's ${specs.length} episodes are not on ${redisName(args.queue)} (first: ${missing[0].key}): enqueue with \`itinera bench --queue ${redisName(args.queue)} --suite ${args.suite}\``);
      const stranger = jobs.find((job) => job!.data.hash !== manifest.hash);
      if (stranger) throw new ItineraError(`episode ${stranger.data.spec.key} on the queue belongs to another version of suite '${suite}' (hash ${stranger.data.hash}, this one is ${manifest.hash}): enqueue this suite again to replace it`);
      const next: EpisodeSpec[] = [];
      for (const [i, spec] of pending.entries()) {
        const job = jobs[i]!;
        const state = job.finishedOn ? await job.getState() : 'unfinished';
        if (state === 'completed' && !results.has(spec.key)) {
          results.append(job.returnvalue);
          progress.episodeDone(job.returnvalue);
        } else if (state === 'failed') failed.push(`${spec.key}: ${job.failedReason}`);
        else if (state !== 'completed') next.push(spec);
      }
      pending = next;
      if (pending.length > 0) await sleep(args.pollMs ?? 500);
    }
  } finally {
    progress.stop();
  }
  const report = await writeBenchOutputs(out, suite, specs, results.records());
  if (failed.length > 0) {
    const shown = failed.slice(0, 5).concat(failed.length > 5 ? [`… and ${failed.length - 5} more`] : []);
    throw new ItineraError([`${failed.length} episodes failed on the queue and are missing from ${out}:`, ...shown, `enqueue the suite again to retry them, then collect with --resume`]);
  }
  return report;
}
