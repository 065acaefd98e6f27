// The simulator model with one plan's samples spread over worker threads. Each worker holds its own planning copy,
// rebuilt from the scenario's registered name, options and robot; every thread takes the next sample from a shared
// counter and writes its costs into shared memory. A sample's cost depends only on the start snapshot and its
// actions, so the result is bit-identical to one thread whichever thread ran which sample.
import { Worker } from 'node:worker_threads';
import { innermostSnapshot, ItineraError, type DynamicsModel, type EnvSnapshot, type RobotSpec, type RolloutResult, type Vec3 } from '@itinera/core';
import type { EnvOptions } from './physics-env.js';
import { RolloutThread, type SharedBatch } from './rollout-thread.js';
import type { PlanningPhysics, SimulatorModel } from './simulator-model.js';

/** What a worker needs to build the same planning copy as the main thread's: plain data only. */
export interface PlanningCopyRecipe {
  /** The scenario's registered name; the worker file looks it up in its registry. */
  scenario: string;
  robot: RobotSpec;
  options: EnvOptions;
  planning: PlanningPhysics;
}

export interface ParallelOptions {
  /** Threads that roll out samples, the main thread included when `mainThreadHelps`. */
  threads: number;
  /** A module that calls serveRollouts() with a way to build a copy from a recipe. */
  workerFile: URL;
  /** Whether the main thread rolls out samples too (false keeps it free, e.g. to step a real-time episode). */
  mainThreadHelps?: boolean;
}

export class ParallelSimulatorModel implements DynamicsModel<EnvSnapshot> {
  readonly kind = 'simulator' as const;
  readonly backend = 'rapier';
  readonly differentiable = false;
  private shared?: SharedBatch;
  private workerSteps = 0;
  /** The shared buffers hold one call's samples: a second call before the first returns would overwrite them. */
  private busy = false;
  /** Resolves once every worker has freed its copy and exited (after free()). */
  closed: Promise<void> = Promise.resolve();

  private constructor(
    private readonly local: SimulatorModel,
    private readonly threads: RolloutThread[],
    private readonly mainThreadHelps: boolean,
  ) {}

  /**
   * `local` is the main thread's copy (it traces plans, and rolls out samples when the main thread helps); the
   * workers build theirs from `recipe`. Rejects with the first worker's error if one cannot build its copy.
   */
  static async create(local: SimulatorModel, recipe: PlanningCopyRecipe, options: ParallelOptions): Promise<ParallelSimulatorModel> {
    const helps = options.mainThreadHelps ?? true;
    const count = options.threads - (helps ? 1 : 0);
    const threads: RolloutThread[] = [];
    try {
      for (let i = 0; i < count; i++) threads.push(new RolloutThread(new Worker(options.workerFile, { workerData: recipe }), i + 1));
    } catch (error) {
      await Promise.all(threads.map((t) => t.kill()));
      throw new ItineraError(`cannot start rollout workers: ${(error as Error).message}`);
    }
    const model = new ParallelSimulatorModel(local, threads, helps);
    try {
      await Promise.all(threads.map((t) => t.ready));
    } catch (error) {
      await Promise.all(threads.map((t) => t.kill()));
      throw error;
    }
    return model;
  }

  get actionSize(): number {
    return this.local.actionSize;
  }

  /** Control steps simulated since creation, over all threads. */
  get simulatedSteps(): number {
    return this.local.simulatedSteps + this.workerSteps;
  }

  /** Threads that roll out samples. */
  get threadCount(): number {
    return this.threads.length + (this.mainThreadHelps ? 1 : 0);
  }

  async rollout(start: EnvSnapshot, actions: Float64Array, batch: number, horizon: number): Promise<RolloutResult> {
    start = innermostSnapshot(start);
    const a = this.actionSize;
    if (actions.length !== batch * horizon * a) throw new ItineraError(`rollout: expected ${batch * horizon * a} action values, got ${actions.length}`);
    if (this.busy) throw new Error('ParallelSimulatorModel: a rollout is already running; await it first');
    this.busy = true;
    try {
      return await this.spread(start, actions, batch, horizon);
    } finally {
      this.busy = false;
    }
  }

  private async spread(start: EnvSnapshot, actions: Float64Array, batch: number, horizon: number): Promise<RolloutResult> {
    const shared = this.sharedFor(batch, horizon, this.actionSize);
    shared.actions.set(actions);
    Atomics.store(shared.next, 0, 0);
    const job = { type: 'rollout' as const, start, batch, horizon, shared };
    const done = this.threads.map((t) => t.run(job));
    // Settled here so a worker that fails while the main thread rolls out is not an unhandled rejection.
    const settled = Promise.allSettled(done);
    let failure: unknown;
    try {
      for (let b = this.mainThreadHelps ? Atomics.add(shared.next, 0, 1) : batch; b < batch; b = Atomics.add(shared.next, 0, 1)) {
        this.local.rolloutSample(start, shared.actions, b, horizon, shared.costs, shared.terminated);
      }
    } catch (error) {
      // No sample left for the workers; the buffers are reused only once they have stopped.
      Atomics.store(shared.next, 0, batch);
      failure = error;
    }
    const results = await settled;
    if (failure) throw failure;
    for (const r of results) {
      if (r.status === 'rejected') throw r.reason;
      this.workerSteps += r.value;
    }
    return { costs: shared.costs.slice(0, batch * horizon), terminated: shared.terminated.slice(0, batch) };
  }

  trace(start: EnvSnapshot, actions: Float64Array, horizon: number): Vec3[] {
    return this.local.trace(start, actions, horizon);
  }

  /** Ends worker `index` (1-based) as a crash would: the next rollout fails with its error (tests). */
  killWorker(index: number): Promise<number> {
    return this.threads[index - 1].kill();
  }

  /** Frees the main thread's copy and asks every worker to free its own and exit (see `closed`). */
  free(): void {
    this.closed = Promise.all(this.threads.map((t) => t.close())).then(() => {});
    this.local.free();
  }

  /** Grows the shared buffers when a call needs more room than the last one. */
  private sharedFor(batch: number, horizon: number, actionSize: number): SharedBatch {
    const s = this.shared;
    if (s && s.terminated.length >= batch && s.costs.length >= batch * horizon && s.actions.length >= batch * horizon * actionSize) return s;
    const f64 = (n: number) => new Float64Array(new SharedArrayBuffer(n * 8));
    this.shared = { actions: f64(batch * horizon * actionSize), costs: f64(batch * horizon), terminated: new Uint8Array(new SharedArrayBuffer(batch)), next: new Int32Array(new SharedArrayBuffer(4)) };
    return this.shared;
  }
}
