// `bench --queue` + `itinera worker` on a real Redis: Debian's redis-server (installed by .ci/run), started by
// this file on a free 127.0.0.1 port with a temp dir and no persistence, stopped at the end.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { benchRecords as records, byKey } from './bench-results.js';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'packages', 'cli', 'bin', 'itinera.js');
const REDIS = '/usr/bin/redis-server';
const NO_REDIS = `Debian's redis-server is not installed at ${REDIS} (apt-get install -y redis-server; .ci/run does it): the queue tests need it`;
const QUEUE_NAME = 'itinera-bench';
/** Short locks so a killed worker's episode is handed on within seconds (the default is 30 s). */
const LOCK = ['--lock-duration', '2'];

const dir = mkdtempSync(join(tmpdir(), 'itinera-bench-queue-'));
// 12 episodes of about a second each: long enough to kill a worker in the middle of one.
const SUITE = join(dir, 'queue.yaml');
writeFileSync(SUITE, 'name: queue-test\nseeds: 6\nscenarios:\n  - { sim: reach-v1, options: { maxSteps: 500 } }\nplanners:\n  - { name: random }\n  - { name: zero }\n');

let redis: ChildProcess | undefined;
let port = 0;
const started: ChildProcess[] = [];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

before(async () => {
  if (!existsSync(REDIS)) return;
  port = await freePort();
  redis = spawn(REDIS, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  await new Promise<void>((resolve, reject) => {
    redis!.stdout!.on('data', (chunk: Buffer) => {
      log += chunk;
      if (log.includes('Ready to accept connections')) resolve();
    });
    redis!.on('exit', (code) => reject(new Error(`redis-server exited (${code}): ${log}`)));
  });
});

after(() => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  redis?.kill('SIGTERM');
});

const url = (db = 0) => `redis://127.0.0.1:${port}/${db}`;

function itinera(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A worker process whose stderr is kept; `onLine` sees each line as it comes. */
function worker(db: number, onLine: (line: string) => void = () => {}) {
  const child = spawn(process.execPath, [BIN, 'worker', '--queue', url(db), ...LOCK], { stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  const out = { child, stderr: '', exited: new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code))) };
  child.stderr!.on('data', (chunk: Buffer) => {
    out.stderr += chunk;
    for (const line of String(chunk).split('\n')) if (line) onLine(line);
  });
  return out;
}



/** One worker on queue `db` until `jobs` jobs have completed (or it exits), then stopped; its exit code and stderr. */
async function workUntil(db: number, jobs: number): Promise<{ code: number | null; stderr: string }> {
  const queue = new Queue(QUEUE_NAME, { connection: { host: '127.0.0.1', port, db } });
  const w = worker(db);
  try {
    while ((await queue.getJobCounts('completed')).completed < jobs && w.child.exitCode === null) await sleep(200);
  } finally {
    await queue.close();
    w.child.kill('SIGTERM');
  }
  return { code: await w.exited, stderr: w.stderr };
}
test('two workers plus a killed third finish the suite: every episode once, equal to a local run', async (t) => {
  if (!redis) return t.skip(NO_REDIS);
  const enqueued = itinera('bench', '--queue', url(), '--suite', SUITE);
  assert.equal(enqueued.code, 0, enqueued.stderr);
  assert.match(enqueued.stdout, /12 new/);
  // Enqueueing again is idempotent: the job id is the episode's results key.
  const again = itinera('bench', '--queue', url(), '--suite', SUITE);
  assert.match(again.stdout, /12 already queued or done/);

  // The third worker is killed as soon as it starts its first episode: that job stalls and goes to another worker.
  let killedKey: string | undefined;
  const victim = worker(0, (line) => {
    const started = /started (\S+)/.exec(line);
    if (started && !killedKey) {
      killedKey = started[1];
      victim.child.kill('SIGKILL');
    }
  });
  const workers = [worker(0), worker(0)];
  const out = join(dir, 'collected');
  const collect = spawn(process.execPath, [BIN, 'bench', '--queue', url(), '--suite', SUITE, '--collect', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(collect);
  let collectErr = '';
  collect.stderr!.on('data', (chunk: Buffer) => (collectErr += chunk));
  // Meanwhile the same suite runs locally, in one process, for comparison.
  const local = join(dir, 'local');
  const localRun = spawn(process.execPath, [BIN, 'bench', '--suite', SUITE, '--out', local], { stdio: 'ignore' });
  const [collectCode, localCode] = await Promise.all([new Promise((r) => collect.on('exit', r)), new Promise((r) => localRun.on('exit', r))]);
  assert.equal(collectCode, 0, collectErr);
  assert.equal(localCode, 0);
  for (const w of workers) w.child.kill('SIGTERM');
  await Promise.all(workers.map((w) => w.exited));

  assert.equal(await victim.exited, null, 'the third worker was killed');
  assert.ok(killedKey, 'the killed worker had started an episode');
  assert.ok(workers.some((w) => w.stderr.includes(`finished ${killedKey}`)), `another worker ran ${killedKey} again after the kill`);
  const collected = records(out);
  assert.equal(collected.length, 12);
  assert.equal(new Set(collected.map((r) => r.key)).size, 12, 'every episode exactly once');
  assert.deepEqual(byKey(collected), byKey(records(local)), 'per-episode results equal the local run');
  assert.ok(existsSync(join(out, 'summary.json')) && existsSync(join(out, 'report.md')));

  // Collecting again into a fresh directory counts each episode once more, not twice.
  const twice = itinera('bench', '--queue', url(), '--suite', SUITE, '--collect', '--out', join(dir, 'again'));
  assert.equal(twice.code, 0, twice.stderr);
  assert.equal(records(join(dir, 'again')).length, 12);
});

test('a worker refuses a job whose suite hash differs from its own, fails it visibly and stops', async (t) => {
  if (!redis) return t.skip(NO_REDIS);
  const enqueued = itinera('bench', '--queue', url(1), '--suite', SUITE);
  assert.equal(enqueued.code, 0, enqueued.stderr);
  // As if the jobs came from different code: the worker resolves the suite to another hash than the job carries.
  const queue = new Queue(QUEUE_NAME, { connection: { host: '127.0.0.1', port, db: 1 } });
  try {
    const jobs = await queue.getJobs(['waiting']);
    assert.equal(jobs.length, 12);
    for (const job of jobs) await job.updateData({ ...job.data, hash: '0123456789abcdef' });
    const w = worker(1);
    assert.equal(await w.exited, 1, w.stderr);
    assert.match(w.stderr, /itinera: refused episode \S+: suite 'queue-test' resolves to hash [0-9a-f]{16} on this worker, the job was enqueued with hash 0123456789abcdef/);
    assert.doesNotMatch(w.stderr, /finished|\n\s+at /, 'nothing ran, no stack trace');
    const failed = await queue.getJobs(['failed']);
    assert.equal(failed.length, 1, 'one job failed, the others wait for a matching worker');
    assert.match(failed[0].failedReason, /refused by .*hash 0123456789abcdef/);
  } finally {
    await queue.close();
  }
});

test('a composite suite goes through the queue: its jobs carry the included files, so a worker needs no copy of them', async (t) => {
  if (!redis) return t.skip(NO_REDIS);
  const home = join(dir, 'composite');
  mkdirSync(join(home, 'parts'), { recursive: true });
  const part = (name: string, seeds: string, claim: string) =>
    `name: ${name}\nseeds: ${seeds}\nscenarios: [{ sim: reach-v1, options: { maxSteps: 10 } }]\nplanners: [{ name: random }, { name: zero }]\nclaims: [{ name: ${claim}, a: { scenario: 0, planner: random }, b: { scenario: 0, planner: zero }, expect: beats }]\n`;
  writeFileSync(join(home, 'parts', 'a.yaml'), part('qa', '[0, 1]', 'claim-a'));
  writeFileSync(join(home, 'parts', 'b.yaml'), part('qb', '[1, 2]', 'claim-b'));
  const suite = join(home, 'all.yaml');
  writeFileSync(suite, 'name: queue-composite\ninclude: [parts/a.yaml, parts/b.yaml]\n');
  const enqueued = itinera('bench', '--queue', url(2), '--suite', suite);
  assert.equal(enqueued.code, 0, enqueued.stderr);
  assert.match(enqueued.stdout, /6 episodes\) on \S+: 6 new\n/);

  // The files move away while the worker runs: it resolves the suite from what the jobs carry.
  renameSync(home, `${home}-away`);
  const drained = await workUntil(2, 6);
  assert.equal(drained.code, 0, drained.stderr);
  renameSync(`${home}-away`, home);

  const out = join(dir, 'composite-out');
  const collected = itinera('bench', '--queue', url(2), '--suite', suite, '--collect', '--out', out);
  assert.equal(collected.code, 0, collected.stderr);
  assert.equal(new Set(records(out).map((r) => r.key)).size, 6);
  assert.match(collected.stdout, /- \*\*claim-a\*\*: [^\n]*\n- \*\*claim-b\*\*: /);
});

test('robot entries with load options go through the queue: a worker welds the base the entry says, as a local run does', async (t) => {
  if (!redis) return t.skip(NO_REDIS);
  const frames = join(ROOT, 'test', 'fixtures', 'urdf', 'frames.urdf');
  const suite = join(dir, 'robots.yaml');
  writeFileSync(
    suite,
    `name: queue-robots\nseeds: [0, 1]\nscenarios: [{ sim: reach-v2, options: { maxSteps: 30 } }]\nrobots:\n  - { robot: ${frames}, endEffector: tool0 }\n  - { robot: ${frames}, endEffector: tool0, fixedBase: true }\nplanners: [{ name: zero }]\n`,
  );
  const enqueued = itinera('bench', '--queue', url(3), '--suite', suite);
  assert.equal(enqueued.code, 0, enqueued.stderr);
  assert.match(enqueued.stdout, /4 episodes\) on \S+: 4 new\n/);
  const drained = await workUntil(3, 4);
  assert.equal(drained.code, 0, drained.stderr);
  const out = join(dir, 'robots-queue');
  const collected = itinera('bench', '--queue', url(3), '--suite', suite, '--collect', '--out', out);
  assert.equal(collected.code, 0, collected.stderr);
  const local = join(dir, 'robots-local');
  assert.equal(itinera('bench', '--suite', suite, '--out', local).code, 0);
  assert.deepEqual(byKey(records(out)), byKey(records(local)));
  const hits = (robot: string) => records(out).filter((r) => r.robot === robot).map((r) => r.guardrailHits);
  // The floating base falls (reach-v2 has no floor) and trips the speed guardrail; the welded one stays put.
  assert.deepEqual(hits(`${frames} (fixedBase, endEffector=tool0)`), [0, 0]);
  assert.ok(hits(`${frames} (endEffector=tool0)`).every((n) => Number(n) > 0), String(hits(`${frames} (endEffector=tool0)`)));
});

test('Redis unreachable: one clear line and exit 1, promptly', async () => {
  const closed = `redis://127.0.0.1:${await freePort()}`;
  for (const args of [['bench', '--queue', closed, '--suite', SUITE], ['worker', '--queue', closed]]) {
    const began = Date.now();
    const r = itinera(...args);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`^itinera: cannot reach Redis at ${closed} \\(connect ECONNREFUSED`));
    assert.ok(Date.now() - began < 20_000, `${args[0]} gave up in ${Date.now() - began} ms`);
  }
});
