// npm run bench:scale — the two "Done when" measurements of issue 8 (benchmarks that scale), as markdown tables:
//   1. --workers speed-up: configs/bench/scale.yaml with `itinera bench --workers 1` and `--workers 2`, each a
//      timed child process; episodes per minute, the ratio (target ≥ 1.7× on 2 cores) and whether the
//      per-episode results (without wall-clock fields) are identical.
//   2. Queue with a killed worker: configs/bench/queue-200.yaml enqueued on a private redis-server
//      (127.0.0.1, free port, no persistence), two `itinera worker`s, one SIGKILLed mid-episode once half the
//      episodes are done; the survivor finishes, `--collect` gathers them, and they are compared with a
//      single-process `itinera bench` of the same suite. Skipped (with a line) without /usr/bin/redis-server.
// Exits 1 when results differ or a run fails; a speed-up below target is only reported.
// Smaller runs (to check the script): BENCH_SCALE_SEEDS=n (part 1 seeds), BENCH_QUEUE_EPISODES=n (part 2).
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import { Queue } from 'bullmq';
import { parse, stringify } from 'yaml';
import { WALL_CLOCK_FIELDS } from '@itinera/bench';
import { QUEUE_NAME } from '@itinera/cli/bench-queue';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'packages', 'cli', 'bin', 'itinera.js');
const REDIS = '/usr/bin/redis-server';
const SCALE_SUITE = join(ROOT, 'configs', 'bench', 'scale.yaml');
const QUEUE_SUITE = join(ROOT, 'configs', 'bench', 'queue-200.yaml');
const TARGET = 1.7;
/** Seconds a killed worker's episode stays locked before the survivor takes it over. */
const LOCK_SECONDS = 3;

const dir = mkdtempSync(join(tmpdir(), 'itinera-bench-scale-'));
const log = (line: string) => process.stderr.write(`[bench:scale] ${line}\n`);

// ---------------------------------------------------------------------------------------------------------------
// Children: every process started here is tracked and killed on the way out, whatever happens.

const children = new Set<ChildProcess>();
let redis: ChildProcess | undefined;

function killAll(signal: NodeJS.Signals = 'SIGKILL') {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  if (redis && redis.exitCode === null && redis.signalCode === null) redis.kill('SIGTERM');
}
process.on('exit', () => killAll());
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping the children and redis-server`);
    killAll();
    process.exit(130);
  });
}

interface Running {
  child: ChildProcess;
  /** stderr so far (also written to `<name>.log` in the run directory, with stdout). */
  stderr: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `itinera ARGS…` as a child process; `onLine` sees each stderr line as it comes. */
function itinera(name: string, args: string[], onLine: (line: string) => void = () => {}): Running {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  const file = createWriteStream(join(dir, `${name}.log`));
  const running: Running = {
    child,
    stderr: '',
    exited: new Promise((resolve) =>
      child.on('exit', (code, signal) => {
        children.delete(child);
        resolve({ code, signal });
      }),
    ),
  };
  let partial = '';
  child.stdout!.pipe(file, { end: false });
  child.stderr!.on('data', (chunk: Buffer) => {
    file.write(chunk);
    running.stderr += chunk;
    const lines = (partial + chunk).split('\n');
    partial = lines.pop()!;
    for (const line of lines) if (line) onLine(line);
  });
  child.on('close', () => file.end());
  return running;
}

/** Runs `itinera ARGS…` to the end; returns its wall time in seconds, or throws with its stderr. */
async function itineraTimed(name: string, args: string[], timeoutS: number): Promise<number> {
  const began = performance.now();
  const run = itinera(name, args);
  const timer = setTimeout(() => run.child.kill('SIGKILL'), timeoutS * 1000);
  const { code, signal } = await run.exited;
  clearTimeout(timer);
  if (code !== 0) throw new Error(`itinera ${args.join(' ')} ${signal ? `was killed (${signal}${signal === 'SIGKILL' ? `, over ${timeoutS} s?` : ''})` : `exited ${code}`}:\n${run.stderr.trim().split('\n').slice(-15).join('\n')}`);
  return (performance.now() - began) / 1000;
}

// ---------------------------------------------------------------------------------------------------------------
// Results: per-episode records without wall-clock fields, by key.

type Row = Record<string, unknown>;
const records = (out: string): Row[] =>
  readFileSync(join(out, 'results.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));

function measured(record: Row): Row {
  const copy = { ...record };
  for (const field of WALL_CLOCK_FIELDS) delete copy[field];
  return copy;
}
const byKey = (rows: Row[]) => rows.map(measured).sort((a, b) => (String(a.key) < String(b.key) ? -1 : String(a.key) > String(b.key) ? 1 : 0));

/** Equal when both hold the same keys with the same measured results; otherwise says where they first differ. */
function compare(a: Row[], b: Row[]): { equal: boolean; why?: string } {
  const x = byKey(a);
  const y = byKey(b);
  if (x.length !== y.length) return { equal: false, why: `${x.length} vs ${y.length} episodes` };
  for (let i = 0; i < x.length; i++) {
    if (x[i].key !== y[i].key) return { equal: false, why: `episode keys differ: ${String(x[i].key)} vs ${String(y[i].key)}` };
    if (!isDeepStrictEqual(x[i], y[i])) {
      const field = Object.keys({ ...x[i], ...y[i] }).find((k) => !isDeepStrictEqual(x[i][k], y[i][k]));
      return { equal: false, why: `${String(x[i].key)}: '${field}' differs: ${JSON.stringify(x[i][field!])?.slice(0, 120)} vs ${JSON.stringify(y[i][field!])?.slice(0, 120)}` };
    }
  }
  return { equal: true };
}

/** A suite file with its seed count changed (written to the run directory), or the file itself when `seeds` is unset. */
function suiteWithSeeds(file: string, seeds: number | undefined): string {
  if (seeds === undefined) return file;
  const suite = parse(readFileSync(file, 'utf8'));
  suite.seeds = seeds;
  const copy = join(dir, file.split('/').pop()!);
  writeFileSync(copy, `# ${file} with seeds: ${seeds} (bench:scale size override)\n${stringify(suite)}`);
  return copy;
}

function envCount(name: string): number | undefined {
  const value = process.env[name];
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer (got '${value}')`);
  return n;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
  return [line(header), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...rows.map(line)].join('\n');
}

const yes = (b: boolean) => (b ? 'yes' : 'no');

/** `promise`'s value, or undefined after `ms`; the timer is cleared either way (a pending one would keep the script alive). */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<undefined>((resolve) => (timer = setTimeout(resolve, Math.max(0, ms), undefined)))]);
  } finally {
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Part 1: --workers 1 vs --workers 2.

async function workersSpeedup(): Promise<{ text: string; ok: boolean }> {
  const suite = suiteWithSeeds(SCALE_SUITE, envCount('BENCH_SCALE_SEEDS'));
  const runs: Array<{ workers: number; episodes: number; wallS: number; out: string }> = [];
  for (const workers of [1, 2]) {
    const out = join(dir, `T${workers}`);
    log(`workers ${workers}: itinera bench --suite ${suite} --workers ${workers} --out ${out}`);
    const wallS = await itineraTimed(`bench-workers-${workers}`, ['bench', '--suite', suite, '--workers', String(workers), '--out', out], 3600);
    const episodes = records(out).length;
    log(`workers ${workers}: ${episodes} episodes in ${wallS.toFixed(1)} s`);
    runs.push({ workers, episodes, wallS, out });
  }
  const rate = (r: (typeof runs)[number]) => r.episodes / (r.wallS / 60);
  const ratio = rate(runs[1]) / rate(runs[0]);
  const [one, two] = runs.map((r) => records(r.out));
  const distinct = new Set(two.map((r) => r.key)).size;
  const same = compare(one, two);
  const ok = same.equal && distinct === two.length && one.length > 0;
  const rows = runs.map((r) => [String(r.workers), String(r.episodes), r.wallS.toFixed(1), rate(r).toFixed(1), `${(rate(r) / rate(runs[0])).toFixed(2)}×`]);
  return {
    ok,
    text: [
      `## --workers speed-up (${suite.replace(ROOT + '/', '')})`,
      '',
      table(['workers', 'episodes', 'wall s', 'episodes/min', 'speed-up'], rows),
      '',
      `speed-up N=2 vs N=1: ${ratio.toFixed(2)}× (target ≥ ${TARGET}× on 2 cores: ${ratio >= TARGET ? 'met' : 'NOT met'})`,
      `identical: ${yes(same.equal)}${same.why ? ` (${same.why})` : ''} — per-episode results of both runs without ${WALL_CLOCK_FIELDS.join(', ')}, sorted by key`,
      'wall s: the whole `itinera bench` process, start-up (suite resolution, Rapier and TensorFlow.js in each thread) included.',
    ].join('\n'),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Part 2: the queue, two workers, one killed halfway.

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startRedis(): Promise<number> {
  const port = await freePort();
  const redisDir = mkdtempSync(join(dir, 'redis-'));
  redis = spawn(REDIS, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', redisDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start within 15 s: ${out}`)), 15_000);
    redis!.stdout!.on('data', (chunk: Buffer) => {
      out += chunk;
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    redis!.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited (${code}): ${out}`));
    });
  });
  return port;
}

async function queueWithKilledWorker(): Promise<{ text: string; ok: boolean }> {
  if (!existsSync(REDIS)) {
    return { ok: true, text: `## Queue with a killed worker\n\nskipped: ${REDIS} is not installed (apt-get install -y redis-server)` };
  }
  const wanted = envCount('BENCH_QUEUE_EPISODES');
  let suite = QUEUE_SUITE;
  if (wanted !== undefined) {
    const parsed = parse(readFileSync(QUEUE_SUITE, 'utf8'));
    const perSeed = parsed.scenarios.length * (parsed.robots ?? ['default']).length * parsed.planners.length;
    suite = suiteWithSeeds(QUEUE_SUITE, Math.max(1, Math.ceil(wanted / perSeed)));
  }
  const port = await startRedis();
  const url = `redis://127.0.0.1:${port}`;
  log(`redis-server on 127.0.0.1:${port}`);
  const queue = new Queue(QUEUE_NAME, { connection: { host: '127.0.0.1', port } });
  queue.on('error', () => {}); // redis stops at the end; reconnect noise is not news
  try {
    const began = performance.now();
    await itineraTimed('enqueue', ['bench', '--queue', url, '--suite', suite], 300);
    const total = (await queue.getJobCounts('waiting')).waiting ?? 0;
    log(`enqueued ${total} episodes; starting two workers (--lock-duration ${LOCK_SECONDS})`);

    // The victim is killed at the start of its first episode after half the suite has completed: mid-episode.
    let armed = false;
    let killedKey: string | undefined;
    let killedAt = 0;
    const victim = itinera('worker-victim', ['worker', '--queue', url, '--lock-duration', String(LOCK_SECONDS)], (line) => {
      const started = /started (\S+)/.exec(line);
      if (armed && started && !killedKey) {
        killedKey = started[1];
        victim.child.kill('SIGKILL');
      }
    });
    const survivor = itinera('worker-survivor', ['worker', '--queue', url, '--lock-duration', String(LOCK_SECONDS)]);
    const out = join(dir, 'collected');
    const collect = itinera('collect', ['bench', '--queue', url, '--suite', suite, '--collect', '--out', out]);

    const deadline = Date.now() + Math.max(300, total * 3) * 1000;
    let armedSince = 0;
    while (victim.child.exitCode === null && victim.child.signalCode === null) {
      if (Date.now() > deadline) throw new Error(`the workers did not get half of the ${total} episodes done in time; see ${dir}/worker-*.log`);
      if (collect.child.exitCode !== null) break;
      const completed = (await queue.getJobCounts('completed')).completed ?? 0;
      if (!armed && completed >= total / 2) {
        armed = true;
        armedSince = Date.now();
        killedAt = completed;
        log(`${completed}/${total} completed: killing the first worker (pid ${victim.child.pid}) at the start of its next episode`);
      }
      if (armed && !killedKey && Date.now() - armedSince > 10_000) {
        killedKey = '(none: it started no episode within 10 s; killed between episodes)';
        victim.child.kill('SIGKILL');
      }
      await sleep(50);
    }
    if (victim.child.exitCode === null && victim.child.signalCode === null) {
      // --collect ended (failed?) before half the suite was done: the kill never happened; reported below.
      victim.child.kill('SIGTERM');
    }
    const victimExit = await victim.exited;
    log(`first worker ${victimExit.signal ? `killed (${victimExit.signal})` : `exited ${victimExit.code}`}${killedKey ? ` during ${killedKey}` : ''}; the survivor finishes`);

    const collected = await within(collect.exited, deadline - Date.now());
    if (!collected || collected.code !== 0) throw new Error(`--collect ${collected ? `exited ${collected.code}` : 'timed out'}:\n${collect.stderr.trim().split('\n').slice(-15).join('\n')}`);
    const queueWallS = (performance.now() - began) / 1000;
    survivor.child.kill('SIGTERM');
    const stopped = await within(survivor.exited, 30_000);
    if (!stopped) survivor.child.kill('SIGKILL');

    log(`collected in ${queueWallS.toFixed(1)} s; now the same suite in one process`);
    const local = join(dir, 'local');
    const localWallS = await itineraTimed('bench-local', ['bench', '--suite', suite, '--out', local], 1800);

    const rows = records(out);
    const distinct = new Set(rows.map((r) => r.key)).size;
    const same = compare(rows, records(local));
    const finished = (run: Running) => (run.stderr.match(/finished \S+/g) ?? []).length;
    const rerun = killedKey !== undefined && survivor.stderr.includes(`finished ${killedKey}:`);
    const victimFinishedIt = killedKey !== undefined && victim.stderr.includes(`finished ${killedKey}:`);
    const ok = rows.length === total && distinct === total && same.equal && victimExit.signal === 'SIGKILL';
    const table2 = table(
      ['measure', 'value'],
      [
        ['episodes in the suite', String(total)],
        ['episodes collected', String(rows.length)],
        ['distinct keys', String(distinct)],
        ['duplicates', String(rows.length - distinct)],
        ['equal to local (single-process) run', `${yes(same.equal)}${same.why ? ` (${same.why})` : ''}`],
        ['worker killed (SIGKILL)', victimExit.signal === 'SIGKILL' ? `yes, after ${killedAt}/${total} completed, during ${killedKey}` : `no (${victimExit.signal ?? `exit ${victimExit.code}`})`],
        ['killed episode re-run by the survivor', victimFinishedIt ? 'no: the killed worker had finished it before the kill landed' : yes(rerun)],
        ['episodes finished per worker', `killed ${finished(victim)}, survivor ${finished(survivor)} (sum ${finished(victim) + finished(survivor)})`],
        ['wall time, queue (enqueue → collected)', `${queueWallS.toFixed(1)} s`],
        ['wall time, local single process', `${localWallS.toFixed(1)} s`],
      ],
    );
    return {
      ok,
      text: [`## Queue with a killed worker (${suite.replace(ROOT + '/', '')}, two workers, --lock-duration ${LOCK_SECONDS})`, '', table2, '', `results equal to the local run, every episode exactly once: ${yes(ok)}`].join('\n'),
    };
  } finally {
    await queue.close().catch(() => {});
    killAll();
  }
}

// ---------------------------------------------------------------------------------------------------------------

const cores = cpus();
log(`run directory ${dir}; ${cores.length} cores (${cores[0]?.model.trim()}), load average ${loadavg()[0].toFixed(2)}`);
if (loadavg()[0] > cores.length * 0.25) log(`the machine is busy (load ${loadavg()[0].toFixed(2)} on ${cores.length} cores): the speed-up measured now is not the quiet-machine figure`);
let exitCode = 0;
const sections: string[] = [];
for (const part of [workersSpeedup, queueWithKilledWorker]) {
  try {
    const { text, ok } = await part();
    sections.push(text);
    if (!ok) exitCode = 1;
  } catch (error) {
    sections.push(`## ${part.name}\n\nfailed: ${error instanceof Error ? error.message : String(error)}`);
    exitCode = 1;
  }
}
killAll();
console.log(
  [
    `# bench:scale — ${new Date().toISOString()}, ${cores.length} cores, load average at the end ${loadavg().map((l) => l.toFixed(2)).join(' ')}`,
    '',
    sections.join('\n\n'),
    '',
    `Outputs and logs: ${dir}`,
  ].join('\n'),
);
process.exitCode = exitCode;
