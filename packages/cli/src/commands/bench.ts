import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { isItineraError, ItineraError, type RobotSpec } from '@itinera/core';
import type { PlanningPhysics } from '@itinera/physics';
import {
  claimOutputDir,
  combineParts,
  episodeMatrix,
  makeSuiteManifest,
  parseShard,
  robotLabel,
  readSuiteTree,
  resolveClaims,
  ResultsFile,
  runBenchEpisode,
  runBenchSequence,
  shardName,
  shardSlice,
  suiteSeeds,
  writeBenchOutputs,
  type BenchRecord,
  type EpisodeSpec,
  type PlannerAxis,
  type ResolvedPart,
  type RobotEntry,
  type ScenarioAxis,
  type Suite,
} from '@itinera/bench';
import { runOnWorkers } from '../bench-worker-pool.js';
import { resolveOptions, setUpEpisode } from '../episode-setup.js';
import { scenarioNamed } from '../registries.js';
import { resolvePlanner } from '../planner-source.js';
import { resolveRobot, resolveRobotAsync, type RobotLoadOptions } from '../robot-source.js';

export interface BenchArgs {
  suite: string;
  out: string;
  resume: boolean;
  /** `i/N`: run only slice i of N (merge the N output directories with `itinera bench merge`). */
  shard?: string;
  /** Episodes run at once, each worker thread with its own physics; 1 runs them on the main thread. */
  workers?: number;
  /** Threads that roll out each plan's samples (default 1); workers × threads is held to the machine's cores. */
  threads?: number;
}

/**
 * A suite file and the files it includes (or their `texts`, as a queue job carries them) resolved against the
 * registries: its episodes, its claims and how to set each episode up. Each part resolves against its own file.
 */
export async function resolveSuite(file: string, texts?: Record<string, string>, threads = 1) {
  const tree = readSuiteTree(file, texts);
  const problems: string[] = [];
  const parts: Array<ResolvedPart & { choice: ReturnType<typeof resolvePlugins>['choice'] }> = [];
  for (const { file: partFile, suite } of tree.parts) {
    try {
      const plugins = resolvePlugins(suite, partFile, await loadSuiteRobots(suite));
      const specs = episodeMatrix(plugins.scenarioAxes, plugins.plannerAxes, suiteSeeds(suite), partFile);
      parts.push({ file: partFile, suite, specs, claims: resolveClaims(suite, specs, partFile), choice: plugins.choice });
    } catch (error) {
      // Every part's problems at once, not one file per attempt.
      if (!isItineraError(error) || tree.parts.length === 1) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) throw new ItineraError(problems);
  const { specs, claims, partOf } = combineParts(parts);
  const choice = (spec: EpisodeSpec) => {
    const { part, spec: local } = partOf(spec);
    return parts[part].choice(local);
  };
  return { name: tree.name, texts: tree.texts, composite: tree.composite, specs, claims, choice, setUp: (spec: EpisodeSpec) => setUpEpisode({ ...choice(spec), threads }) };
}

/** Runs the suite's missing episodes into `out`, then writes summary.json and report.md; returns the report. */
export async function benchCommand(args: BenchArgs): Promise<string> {
  const shard = args.shard === undefined ? null : parseShard(args.shard);
  const workers = args.workers ?? 1;
  if (!Number.isInteger(workers) || workers < 1) throw new ItineraError(`--workers must be a positive integer (got ${args.workers})`);
  const { name, choice, specs: allSpecs, claims } = await resolveSuite(args.suite);
  if (shard && allSpecs.some((s) => s.plannerRun?.adapt)) throw new ItineraError(`${args.suite}: a planner with adapt learns across its seeds, so its cell runs whole in one process: run this suite without --shard`);
  const specs = shard ? shardSlice(allSpecs, shard) : allSpecs;
  await checkEverySetUp(specs, (spec) => setUpEpisode(choice(spec)));

  const manifest = makeSuiteManifest(name, allSpecs, shard, claims);
  claimOutputDir(args.out, manifest);
  const results = new ResultsFile(join(args.out, 'results.jsonl'), args.resume);
  if (results.repairedBytes > 0) process.stderr.write(`itinera: dropped a half-written last line of ${results.path} (${results.repairedBytes} bytes); its episode runs again\n`);
  if (results.duplicateWarning()) process.stderr.write(`itinera: warning: ${results.duplicateWarning()}\n`);
  const todo = specs.filter((s) => !results.has(s.key));
  if (todo.length < specs.length) process.stderr.write(`itinera: resuming: ${specs.length - todo.length} of ${specs.length} episodes already done\n`);
  const stale = results.records().length - (specs.length - todo.length);
  if (stale > 0) process.stderr.write(`itinera: ${stale} results in ${results.path} match no episode of this suite (was it edited?); the summary leaves them out\n`);

  const progress = new BenchProgress(todo.length, shard ? `${name} shard ${shardName(shard)}` : name);
  // Only this thread appends to results.jsonl, whichever thread ran the episode.
  const finished = (record: BenchRecord) => {
    results.append(record);
    progress.episodeDone(record);
  };
  try {
    // An adapt cell's model learns across its seeds: the cell runs whole, in seed order, on this thread.
    const sequences = adaptCells(todo.filter((s) => s.plannerRun?.adapt), specs);
    const single = todo.filter((s) => !s.plannerRun?.adapt);
    const running = workers > 1 && single.length > 1 ? Math.min(workers, single.length) : 1;
    const threads = threadsWithin(running, args.threads ?? 1);
    const setUp = (s: EpisodeSpec) => setUpEpisode({ ...choice(s), threads });
    for (const cell of sequences) await runBenchSequence(cell, setUp, (s) => !results.has(s.key), finished);
    if (running > 1) {
      await runOnWorkers(args.suite, manifest.hash, single, running, threads, finished);
    } else {
      for (const spec of single) finished(await runBenchEpisode(spec, setUp));
    }
  } finally {
    progress.stop();
  }
  return writeBenchOutputs(args.out, name, specs, results.records());
}

/** A suite planner's `adapt`: --adapt-opt keys, and `data` (dataset directories relative to the suite file) for --adapt-data. */
function adaptChoice(adapt: Record<string, unknown>, suiteFile: string): { options: Record<string, unknown>; data?: string[] } {
  const { data, ...options } = adapt;
  if (data === undefined) return { options };
  const dirs = Array.isArray(data) ? data : [data];
  if (!dirs.every((d) => typeof d === 'string')) throw new ItineraError(`${suiteFile}: adapt.data must be a dataset directory or a list of them`);
  return { options, data: dirs.map((d) => resolve(dirname(suiteFile), d as string)) };
}

/** Every episode of each cell that has one in `todo` (a resumed cell runs again from its first seed). */
function adaptCells(todo: EpisodeSpec[], specs: EpisodeSpec[]): EpisodeSpec[][] {
  const cellOf = (s: EpisodeSpec) => s.key.slice(0, s.key.lastIndexOf('/seed-'));
  const wanted = new Set(todo.map(cellOf));
  return [...wanted].map((cell) => specs.filter((s) => cellOf(s) === cell));
}

/** Threads per episode such that `workers` × threads stays within the machine's cores (at least 1); says when it cuts. */
function threadsWithin(workers: number, threads: number): number {
  const cores = availableParallelism();
  if (workers * threads <= cores || threads === 1) return threads;
  const held = Math.max(1, Math.floor(cores / workers));
  process.stderr.write(`itinera: ${workers} workers × ${threads} threads would pass the machine's ${cores} cores; running ${held} thread${held > 1 ? 's' : ''} per episode\n`);
  return held;
}

/** Robot files and modules load asynchronously, once per entry label (a file with other options loads again). */
async function loadSuiteRobots(suite: Suite): Promise<Map<string, RobotSpec | ItineraError>> {
  const loaded = new Map<string, RobotSpec | ItineraError>();
  for (const entry of suite.robots.filter((r) => r.robot !== 'default')) {
    const label = robotLabel(entry);
    if (loaded.has(label)) continue;
    try {
      loaded.set(label, await resolveRobotAsync(entry.robot, entry.endEffector, undefined, robotLoad(entry)));
    } catch (error) {
      if (!isItineraError(error)) throw error;
      loaded.set(label, error);
    }
  }
  return loaded;
}

/** A suite robot entry's load options, as `run` takes them from --fixed-base / --floating-base and --package-path. */
function robotLoad(entry: RobotEntry): RobotLoadOptions {
  return { ...(entry.fixedBase !== undefined && { fixedBase: entry.fixedBase }), ...(entry.packagePath && { packagePath: entry.packagePath }) };
}

/** Names and options resolved against the registries; every problem is reported, each naming the suite key. */
function resolvePlugins(suite: Suite, file: string, loaded: Map<string, RobotSpec | ItineraError>) {
  const problems: string[] = [];
  const collect = <T>(prefix: string, make: () => T): T | undefined => {
    try {
      return make();
    } catch (error) {
      if (!isItineraError(error)) throw error;
      problems.push(...error.problems.map((p) => prefix + p));
      return undefined;
    }
  };
  const robots = new Map<string, RobotSpec>();
  const scenarios = suite.scenarios.map((entry, i) => {
    const definition = collect(`${file}: scenarios.${i}.sim: `, () => scenarioNamed(entry.sim));
    const options = definition && collect('', () => resolveOptions(definition, entry.options, `${file}: scenarios.${i}.options (${definition.name})`));
    // 'default' is the scenario's own robot (a built-in name), with the entry's options applied to it.
    const names = definition ? suite.robots.map((r) => (r.robot === 'default' ? definition.defaultRobot : r.robot)) : [];
    const labels = names.map((name, j) => robotLabel(suite.robots[j], name));
    labels.forEach((label, j) => {
      const entry = suite.robots[j];
      const robot = robots.get(label) ?? collect(`${file}: robots.${j}: `, () => {
        const preloaded = loaded.get(label) ?? resolveRobot(names[j], entry.endEffector, undefined, robotLoad(entry));
        if (preloaded instanceof Error) throw preloaded;
        return preloaded;
      });
      if (!robot) return;
      robots.set(label, robot);
      // The task checks the robot can serve it (an end effector, say) before any episode runs.
      if (options) collect(`${file}: scenarios.${i} × robots.${j}: `, () => definition!.create(options, robot));
    });
    return { definition, axis: { name: definition?.name ?? entry.sim, options: options ?? {}, robots: labels } };
  });
  const planners = suite.planners.map((entry, k) => {
    const overrides = { options: entry.options, modelPhysics: entry.model, replanEvery: entry.replanEvery };
    const choice = collect('', () => resolvePlanner(entry.name, overrides, `${file}: planners.${k}.options`, `${file}: planners.${k}.name: `));
    const onnx = entry.rollouts === 'onnx';
    if (choice && onnx && Object.keys(choice.worldModels ?? {}).length === 0) problems.push(`${file}: planners.${k}.rollouts: onnx runs a trained world model, and ${entry.name} plans on the simulator (name a preset with worldModels)`);
    const run = choice && { ...runKey(choice.modelPhysics), replanEvery: choice.replanEvery, ...(entry.adapt && { adapt: entry.adapt }), ...(onnx && { rollouts: 'onnx' }) };
    const axis: PlannerAxis = { name: choice?.label ?? entry.name, config: choice?.config ?? {}, ...(run && (Object.keys(run).length > 1 || run.replanEvery !== 1) && { run }) };
    return { choice, axis };
  });
  // A robot shared by several scenarios fails once, not once per scenario.
  if (problems.length > 0) throw new ItineraError([...new Set(problems)]);
  return {
    scenarioAxes: scenarios.map((s): ScenarioAxis => s.axis),
    plannerAxes: planners.map((p): PlannerAxis => p.axis),
    choice: (spec: EpisodeSpec) => ({
      scenario: scenarios[spec.scenarioIndex].definition!,
      scenarioOptions: spec.scenarioOptions,
      robot: robots.get(spec.robot)!,
      planner: planners[spec.plannerIndex].choice!.definition,
      plannerConfig: spec.plannerConfig,
      seed: spec.seed,
      modelPhysics: planners[spec.plannerIndex].choice!.modelPhysics,
      replanEvery: planners[spec.plannerIndex].choice!.replanEvery,
      presetModels: planners[spec.plannerIndex].choice!.worldModels,
      ...(suite.planners[spec.plannerIndex].adapt && { adapt: adaptChoice(suite.planners[spec.plannerIndex].adapt!, file) }),
      rollouts: suite.planners[spec.plannerIndex].rollouts,
    }),
  };
}

/** Builds each scenario × robot × planner once, so a planner that refuses its model fails now, not hours in. */
export async function checkEverySetUp(specs: EpisodeSpec[], setUp: (spec: EpisodeSpec) => Promise<{ free(): void }>): Promise<void> {
  const checked = new Set<string>();
  for (const spec of specs) {
    const combination = spec.key.slice(0, spec.key.lastIndexOf('/seed-'));
    if (checked.has(combination)) continue;
    checked.add(combination);
    (await setUp(spec)).free();
  }
}

/** Progress on stderr: a bar on a terminal, one line per episode otherwise. */
export class BenchProgress {
  private readonly bar?: cliProgress.SingleBar;
  private done = 0;
  constructor(
    private readonly total: number,
    private readonly label: string,
  ) {
    if (!process.stderr.isTTY) return;
    this.bar = new cliProgress.SingleBar(
      { stream: process.stderr, format: `${label} [{bar}] {value}/{total} episodes · {last}`, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(total, 0, { last: '' });
  }

  episodeDone(r: BenchRecord): void {
    this.done++;
    const outcome = `${r.scenario} · ${r.robot} · ${r.planner} · seed ${r.seed}: ${r.success ? 'success' : `failed (${r.failure})`} in ${r.steps} steps`;
    if (this.bar) this.bar.update(this.done, { last: outcome });
    else process.stderr.write(`${this.label}: episode ${this.done}/${this.total} ${outcome}, ${(r.wallMs / 1000).toFixed(1)} s\n`);
  }

  stop(): void {
    this.bar?.stop();
  }
}

/** A planner's planning physics as part of its results key (names kept from when only the step was set). */
function runKey(physics: PlanningPhysics): { modelPhysicsDt?: number; modelSolverIterations?: number } {
  return {
    ...(physics.physicsDt !== undefined && { modelPhysicsDt: physics.physicsDt }),
    ...(physics.solverIterations !== undefined && { modelSolverIterations: physics.solverIterations }),
  };
}
