// Exploration for world-model data: coloured (temporally correlated) noise torques, each episode with its own
// amplitude and correlation, so the data holds slow sweeps, fast jitters and resting arms alike; optionally steered
// by a trained ensemble's disagreement (curiosity.ts).
import { ItineraError, Rng, type Env } from '@itinera/core';
import { CURIOSITY, type EnsembleDisagreement } from './curiosity.js';
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
  /** Steer the noise toward what this trained ensemble disagrees on (a model of the same scenario and robot). */
  curiosity?: EnsembleDisagreement;
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

export function datasetSpec(env: Env, scenarioOptions: Record<string, unknown>): DatasetSpec {
  return {
    scenario: env.id,
    robot: env.robotName,
    scenarioOptions,
    controlDt: env.controlDt,
    observation: { names: [...env.observationSpec.names] },
    action: { names: [...env.actionSpec.names], low: Array.from(env.actionSpec.low), high: Array.from(env.actionSpec.high) },
  };
}

/** Coloured noise: an AR(1) process per actuator, scaled to a share of each actuator's range. */
class ColouredNoise {
  constructor(
    private readonly state: Float64Array,
    private readonly beta: number,
    private readonly amplitude: number,
  ) {}

  clone(): ColouredNoise {
    return new ColouredNoise(Float64Array.from(this.state), this.beta, this.amplitude);
  }

  /** Advances the process and writes the next action. */
  next(rng: Rng, low: ArrayLike<number>, high: ArrayLike<number>, out: Float64Array | Float32Array, offset = 0): void {
    for (let i = 0; i < this.state.length; i++) {
      this.state[i] = this.beta * this.state[i] + Math.sqrt(1 - this.beta * this.beta) * rng.normal();
      const half = (high[i] - low[i]) / 2;
      out[offset + i] = Math.min(high[i], Math.max(low[i], (low[i] + high[i]) / 2 + this.amplitude * half * this.state[i]));
    }
  }
}

/**
 * One exploratory episode, cut at `maxSteps` transitions or where the env ends it (a diverged state is dropped).
 * With `curiosity`, every `commit` steps it drafts continuations of the noise and follows the most disputed one.
 */
export function exploreEpisode(env: Env, seed: number, maxSteps: number, curiosity?: EnsembleDisagreement): Episode {
  const rng = new Rng(seed).fork('explore');
  const { size, low, high } = env.actionSpec;
  const beta = rng.uniform(...EXPLORATION.correlation);
  const amplitude = rng.uniform(...EXPLORATION.amplitude);
  const settleFrom = rng.next() < EXPLORATION.settle ? rng.int(maxSteps) : Infinity;
  let noise = new ColouredNoise(Float64Array.from({ length: size }, () => rng.normal()), beta, amplitude);
  let observation = env.reset({ seed }).observation;
  const obs: number[] = [...observation];
  const acts: number[] = [];
  const action = new Float64Array(size);
  const { candidates, horizon, commit } = CURIOSITY;
  let planned: Float32Array | undefined;
  let steps = 0;
  while (steps < maxSteps) {
    if (steps >= settleFrom) action.fill(0);
    else if (!curiosity) noise.next(rng, low, high, action);
    else {
      if (steps % commit === 0) {
        const actions = new Float32Array(candidates * horizon * size);
        const resumeFrom: ColouredNoise[] = [];
        for (let c = 0; c < candidates; c++) {
          const draft = noise.clone();
          for (let h = 0; h < horizon; h++) {
            draft.next(rng, low, high, actions, (c * horizon + h) * size);
            // The noise goes on from where the chosen draft stands when the next drafts are made.
            if (h === commit - 1) resumeFrom.push(draft.clone());
          }
        }
        const scores = curiosity.score(observation, actions, candidates, horizon);
        const best = scores.indexOf(Math.max(...scores));
        planned = actions.subarray(best * horizon * size, (best + 1) * horizon * size);
        noise = resumeFrom[best];
      }
      action.set(planned!.subarray((steps % commit) * size, (steps % commit + 1) * size));
    }
    const r = env.step(action);
    if (!r.observation.every(Number.isFinite)) break;
    observation = r.observation;
    acts.push(...action);
    obs.push(...r.observation);
    steps++;
    if (r.terminated || r.truncated) break;
  }
  return { seed, observations: Float32Array.from(obs), actions: Float32Array.from(acts), steps };
}

/** Appends episodes to a dataset directory (created if absent) in chunks, after checking it holds the same kind of data. */
export class DatasetWriter {
  manifest: Manifest;
  private pending: Episode[] = [];
  private pendingSteps = 0;

  constructor(
    readonly dir: string,
    spec: DatasetSpec,
    readonly runSeed: number,
    /** Recorded on every chunk this writer adds ('coloured-noise', 'curiosity (DIR)', 'mpc (…)'). */
    readonly policy: string,
    policySettings: Record<string, unknown>,
    readonly chunkSteps = 10_000,
  ) {
    const existing = readManifest(dir);
    if (existing) {
      const mismatch = specMismatch(existing, spec) ?? (JSON.stringify(existing.scenarioOptions) !== JSON.stringify(spec.scenarioOptions) ? 'scenario options differ' : undefined);
      if (mismatch) throw new ItineraError(`${dir} holds different data (${mismatch}); collect into another directory`);
    }
    this.manifest = existing ?? { format: DATASET_FORMAT, ...spec, policy: policySettings, chunks: [], steps: 0, episodes: 0 };
  }

  /** Index of this run's next episode: indices continue across appended runs of the same seed, so seeds stay distinct. */
  get episodesOfRun(): number {
    return this.manifest.chunks.filter((c) => c.runSeed === this.runSeed).reduce((n, c) => n + c.episodes.length, 0) + this.pending.length;
  }

  add(episode: Episode): void {
    this.pending.push(episode);
    this.pendingSteps += episode.steps;
    if (this.pendingSteps >= this.chunkSteps) this.flush();
  }

  /** Writes what is pending as one chunk (an interrupted run keeps every chunk written before). */
  flush(): Manifest {
    if (this.pending.length > 0) this.manifest = appendChunk(this.dir, this.manifest, this.pending, this.runSeed, this.policy);
    this.pending = [];
    this.pendingSteps = 0;
    return this.manifest;
  }
}

/** Appends `steps` exploratory transitions to the dataset in `dir` (created if absent); returns the new manifest. */
export function collect(env: Env, dir: string, options: CollectOptions): Manifest {
  const spec = datasetSpec(env, options.scenarioOptions);
  const curiosity = options.curiosity;
  if (curiosity) {
    const mismatch = specMismatch(curiosity.model.file.spec, spec);
    if (mismatch) throw new ItineraError(`${curiosity.source} cannot steer this collection: ${mismatch}`);
  }
  const policy = curiosity ? `curiosity (${curiosity.source})` : EXPLORATION.kind;
  const settings = { ...EXPLORATION, ...(curiosity && { curiosity: { ...CURIOSITY, model: curiosity.source } }) };
  const writer = new DatasetWriter(dir, spec, options.seed, policy, settings, options.chunkSteps);
  let done = 0;
  let empty = 0;
  while (done < options.steps) {
    const limit = Math.min(options.episodeSteps ?? Infinity, options.steps - done);
    const episode = exploreEpisode(env, episodeSeed(options.seed, writer.episodesOfRun + empty), limit, curiosity);
    if (episode.steps === 0) {
      // An env that diverges on its first step every time would loop forever.
      if (++empty > 100) throw new ItineraError(`${env.id}: 100 episodes in a row ended before their first step; the scenario diverges`);
      continue;
    }
    writer.add(episode);
    done += episode.steps;
    options.onProgress?.(done);
  }
  return writer.flush();
}
