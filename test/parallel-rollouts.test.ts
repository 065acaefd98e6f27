// Parallel rollouts (--threads): samples spread over worker threads give the same bits as one thread, a crashed
// worker ends the plan with a clear error, and freeing the model ends the workers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { WALL_CLOCK_FIELDS } from '@itinera/bench';
import { ItineraError, Rng } from '@itinera/core';
import { cemPlanner, mppiPlanner, predictiveSamplingPlanner } from '@itinera/mpc';
import { createEnv, ParallelSimulatorModel, SimulatorModel, type PlanningPhysics } from '@itinera/physics';
import { loadBuiltinRobot } from '@itinera/robots';
import { reach } from '@itinera/sim-reach';
import { runCommand } from '@itinera/cli';

// The CLI's worker file (built by tsc -b), which rebuilds registered scenarios.
const WORKER = new URL('../packages/cli/dist/rollout-worker.js', import.meta.url);
const robot = loadBuiltinRobot('reacher');

async function models(threads: number, planning: PlanningPhysics = {}) {
  const local = await SimulatorModel.create(reach, robot, {}, planning);
  return ParallelSimulatorModel.create(local, { scenario: reach.name, robot, options: {}, planning }, { threads, workerFile: WORKER });
}

/** The first `steps` actions each planner picks on reach seed 3, planning on `model`. */
async function actionsOf(model: SimulatorModel | ParallelSimulatorModel, steps: number): Promise<number[][]> {
  const env = await createEnv(reach, robot);
  const out: number[][] = [];
  for (const definition of [mppiPlanner, cemPlanner, predictiveSamplingPlanner]) {
    const config = { ...definition.defaults, samples: 24, horizon: 12, iterations: 2 };
    const planner = definition.create(config as never, { actionSpec: env.actionSpec, observationSpec: env.observationSpec, controlDt: env.controlDt, rng: new Rng(3), model });
    planner.reset(3);
    let { observation } = env.reset({ seed: 3 });
    for (let step = 0; step < steps; step++) {
      const time = step * env.controlDt;
      const action = (await planner.plan({ observation, time, step, snapshot: env.snapshot() })).action(time);
      out.push(Array.from(action));
      observation = env.step(action).observation;
    }
    planner.dispose();
  }
  env.free();
  return out;
}

test('MPPI, CEM and predictive sampling plan the same bits on 1 and 3 threads (exact and 1/50 s copies)', { timeout: 60_000 }, async () => {
  for (const planning of [{}, { physicsDt: 0.02 }]) {
    const one = await SimulatorModel.create(reach, robot, {}, planning);
    const expected = await actionsOf(one, 4);
    one.free();
    const three = await models(3, planning);
    assert.equal(three.threadCount, 3);
    assert.deepEqual(await actionsOf(three, 4), expected);
    three.free();
    await three.closed;
  }
});

test('a worker that crashes ends the rollout with a clear error, not a hang', { timeout: 30_000 }, async () => {
  const model = await models(2);
  const env = await createEnv(reach, robot);
  env.reset({ seed: 0 });
  await model.killWorker(1);
  const actions = new Float64Array(8 * 5 * env.actionSpec.size);
  await assert.rejects(model.rollout(env.snapshot(), actions, 8, 5), (e: Error) => e instanceof ItineraError && /rollout worker 1 stopped/.test(e.message));
  model.free();
  await model.closed;
  env.free();
});

test('run --threads 2 records the same episode as one thread', { timeout: 60_000 }, async () => {
  const args = { sim: 'reach-v1', planner: 'mppi', opt: ['samples=16', 'horizon=10'], simOpt: ['maxSteps=6'], episodes: 1, seed: 5, json: true };
  const strip = (s: Awaited<ReturnType<typeof runCommand>>) => s.episodes.map(({ wallMs, planMs, ...rest }) => rest);
  assert.deepEqual(strip(await runCommand({ ...args, threads: 2 })), strip(await runCommand({ ...args, threads: 1 })));
});

test('bench --threads gives the same results; workers × threads is held to the cores with a warning', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'itinera-bench-threads-'));
  try {
    const suite = join(dir, 'tiny.yaml');
    writeFileSync(suite, 'name: tiny\nseeds: 2\nscenarios: [{ sim: reach-v1, options: { maxSteps: 4 } }]\nrobots: [default]\nplanners: [{ name: mppi, options: { samples: 12, horizon: 8 } }]\n');
    const bench = (out: string, ...flags: string[]) => {
      const r = spawnSync(process.execPath, [join(import.meta.dirname, '..', 'packages', 'cli', 'bin', 'itinera.js'), 'bench', '--suite', suite, '--out', join(dir, out), ...flags], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const records = readFileSync(join(dir, out, 'results.jsonl'), 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
      const measured = records.map((record) => Object.fromEntries(Object.entries(record).filter(([k]) => !(WALL_CLOCK_FIELDS as readonly string[]).includes(k))));
      return { stderr: r.stderr, results: measured.sort((a, b) => (String(a.key) < String(b.key) ? -1 : 1)) };
    };
    const two = bench('two', '--threads', '2');
    const cores = availableParallelism();
    const held = bench('held', '--workers', '2', '--threads', String(cores));
    assert.match(held.stderr, new RegExp(`2 workers × ${cores} threads would pass the machine's ${cores} cores; running ${Math.max(1, Math.floor(cores / 2))} thread`));
    // On 2 cores `held` runs one thread per episode: the same results as two threads.
    assert.deepEqual(held.results, two.results);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('collect --planner writes the same dataset on 2 threads as on one; --threads without a planner is refused', { timeout: 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'itinera-collect-threads-'));
  const collect = (...flags: string[]) => spawnSync(process.execPath, [join(import.meta.dirname, '..', 'packages', 'cli', 'bin', 'itinera.js'), 'collect', '--sim', 'reach-v1', '--steps', '30', '--seed', '4', ...flags], { encoding: 'utf8' });
  try {
    const planned = ['--sim-opt', 'maxSteps=20', '--planner', 'mppi', '--opt', 'samples=12', '--opt', 'horizon=8'];
    for (const threads of ['1', '2']) assert.equal(collect(...planned, '--threads', threads, '--out', join(dir, threads)).status, 0);
    for (const file of ['manifest.json', 'chunk-000000.f32']) assert.ok(readFileSync(join(dir, '1', file)).equals(readFileSync(join(dir, '2', file))), `${file} differs`);
    const noise = collect('--threads', '2', '--out', join(dir, 'noise'));
    assert.equal(noise.status, 1);
    assert.match(noise.stderr, /--threads spreads a planner's rollouts: it goes with --planner or --level 1/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
