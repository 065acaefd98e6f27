// Exploration for world-model data: coloured (temporally correlated) noise torques, each episode with its own
// amplitude and correlation, so the data holds slow sweeps, fast jitters and resting arms alike.
import { ItineraError, Rng, type Env } from '@itinera/core';
import { appendChunk, DATASET_FORMAT, readManifest, specMismatch, type DatasetSpec, type Episode, type Manifest } from './dataset.js';

export interface CollectOptions {
  /** Transitions to add. */
  steps: number;
  seed: number;
  scenarioOptions: Record<string, unknown>;
  /** Transitions per chunk file (a chunk holds whole episodes). */
  chunkSteps?: number;
  /** Caps an episode's length below the scenario's time limit. */
  episodeSteps?: number;
  onProgress?: (stepsDone: number) => void;
}

export const EXPLORATION = {
  kind: 'coloured-noise',
  /** Per-episode AR(1) coefficient range: 0.8 ≈ 0.1 s correlation at 50 Hz, 0.98 ≈ 1 s. */
  correlation: [0.8, 0.98],
  /** Per-episode std as a fraction of each actuator's limit. */
  amplitude: [0.1, 0.8],
  /** Share of episodes with no torque at all past a random step (the arm coasts and settles). */
  settle: 0.25,
} as const;

/** Seed of the collect run's episode i: distinct across appended runs even with the same --seed. */
export function episodeSeed(runSeed: number, index: number): number {
  return new Rng(runSeed).fork(`episode-${index}`).nextUint32();
}

function datasetSpec(env: Env, scenarioOptions: Record<string, unknown>): DatasetSpec {
  return {
    scenario: env.id,
    robot: env.robotName,
    scenarioOptions,
    controlDt: env.controlDt,
    observation: { names: [...env.observationSpec.names] },
    action: { names: [...env.actionSpec.names], low: Array.from(env.actionSpec.low), high: Array.from(env.actionSpec.high) },
  };
}

/** One exploratory episode, cut at `maxSteps` transitions or where the env ends it (a diverged state is dropped). */
export function exploreEpisode(env: Env, seed: number, maxSteps: number): Episode {
  const rng = new Rng(seed).fork('explore');
  const { size, low, high } = env.actionSpec;
  const beta = rng.uniform(...EXPLORATION.correlation);
  const amplitude = rng.uniform(...EXPLORATION.amplitude);
  const settleFrom = rng.next() < EXPLORATION.settle ? rng.int(maxSteps) : Infinity;
  const noise = Float64Array.from({ length: size }, () => rng.normal());
  const obs: number[] = [...env.reset({ seed }).observation];
  const acts: number[] = [];
  const action = new Float64Array(size);
  let steps = 0;
  while (steps < maxSteps) {
    for (let i = 0; i < size; i++) {
      noise[i] = beta * noise[i] + Math.sqrt(1 - beta * beta) * rng.normal();
      const half = (high[i] - low[i]) / 2;
      action[i] = steps >= settleFrom ? 0 : Math.min(high[i], Math.max(low[i], (low[i] + high[i]) / 2 + amplitude * half * noise[i]));
    }
    const r = env.step(action);
    if (!r.observation.every(Number.isFinite)) break;
    acts.push(...action);
    obs.push(...r.observation);
    steps++;
    if (r.terminated || r.truncated) break;
  }
  return { seed, observations: Float32Array.from(obs), actions: Float32Array.from(acts), steps };
}

/** Appends `steps` exploratory transitions to the dataset in `dir` (created if absent); returns the new manifest. */
export function collect(env: Env, dir: string, options: CollectOptions): Manifest {
  const spec = datasetSpec(env, options.scenarioOptions);
  const existing = readManifest(dir);
  if (existing) {
    const mismatch = specMismatch(existing, spec) ?? (JSON.stringify(existing.scenarioOptions) !== JSON.stringify(spec.scenarioOptions) ? 'scenario options differ' : undefined);
    if (mismatch) throw new ItineraError(`${dir} holds different data (${mismatch}); collect into another directory`);
  }
  let manifest: Manifest = existing ?? { format: DATASET_FORMAT, ...spec, policy: { ...EXPLORATION }, chunks: [], steps: 0, episodes: 0 };
  const chunkSteps = options.chunkSteps ?? 10_000;
  // Episode indices continue across appended runs of the same seed.
  let index = manifest.chunks.filter((c) => c.runSeed === options.seed).reduce((n, c) => n + c.episodes.length, 0);
  let done = 0;
  let empty = 0;
  let pending: Episode[] = [];
  let pendingSteps = 0;
  while (done < options.steps) {
    const limit = Math.min(options.episodeSteps ?? Infinity, options.steps - done);
    const episode = exploreEpisode(env, episodeSeed(options.seed, index++), limit);
    if (episode.steps === 0) {
      // An env that diverges on its first step every time would loop forever.
      if (++empty > 100) throw new ItineraError(`${env.id}: 100 episodes in a row ended before their first step; the scenario diverges`);
      continue;
    }
    pending.push(episode);
    pendingSteps += episode.steps;
    done += episode.steps;
    if (pendingSteps >= chunkSteps || done >= options.steps) {
      manifest = appendChunk(dir, manifest, pending, options.seed);
      pending = [];
      pendingSteps = 0;
    }
    options.onProgress?.(done);
  }
  return manifest;
}
