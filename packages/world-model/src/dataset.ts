// Experience on disk: Float32 chunks of whole episodes plus a JSON manifest. A chunk is written to a temporary
// file and renamed, then the manifest is rewritten the same way, so an interrupted run leaves a valid dataset.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ItineraError } from '@itinera/core';

export const DATASET_FORMAT = 'itinera-dataset-v1';

export interface EpisodeRecord {
  seed: number;
  /** Transitions: the episode has steps + 1 observations. */
  steps: number;
}

export interface ChunkRecord {
  file: string;
  /** Seed of the collect run that wrote it. */
  runSeed: number;
  /** The exploration policy that wrote it ('coloured-noise', or 'curiosity (MODEL DIR)'). */
  policy?: string;
  episodes: EpisodeRecord[];
}

/** Everything about the data that a model trained on it must agree with. */
export interface DatasetSpec {
  scenario: string;
  robot: string;
  scenarioOptions: Record<string, unknown>;
  controlDt: number;
  observation: { names: string[] };
  action: { names: string[]; low: number[]; high: number[] };
}

export interface Manifest extends DatasetSpec {
  format: typeof DATASET_FORMAT;
  /** How the data was collected (policy name and its settings). */
  policy: Record<string, unknown>;
  chunks: ChunkRecord[];
  steps: number;
  episodes: number;
}

/** One episode in memory: observations [steps + 1][obs], actions [steps][act]. */
export interface Episode {
  seed: number;
  observations: Float32Array;
  actions: Float32Array;
  steps: number;
}

const MANIFEST = 'manifest.json';

export function readManifest(dir: string): Manifest | undefined {
  const path = join(dir, MANIFEST);
  if (!existsSync(path)) return undefined;
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  if (manifest.format !== DATASET_FORMAT) throw new ItineraError(`${path}: not an itinera dataset (format ${manifest.format})`);
  return manifest;
}

/** Writes then renames, so readers only ever see a whole file. */
export function writeAtomically(path: string, data: string | Uint8Array): void {
  const temp = `${path}.tmp-${process.pid}`;
  writeFileSync(temp, data);
  renameSync(temp, path);
}

/** Row width of a chunk: observation then the action taken from it (zeros on an episode's last row). */
const rowWidth = (spec: DatasetSpec) => spec.observation.names.length + spec.action.names.length;

/** Appends episodes as one new chunk, then records it in the manifest. */
export function appendChunk(dir: string, manifest: Manifest, episodes: Episode[], runSeed: number, policy?: string): Manifest {
  mkdirSync(dir, { recursive: true });
  const obs = manifest.observation.names.length;
  const act = manifest.action.names.length;
  const rows = episodes.reduce((n, e) => n + e.steps + 1, 0);
  const data = new Float32Array(rows * (obs + act));
  let row = 0;
  for (const e of episodes) {
    for (let t = 0; t <= e.steps; t++, row++) {
      data.set(e.observations.subarray(t * obs, (t + 1) * obs), row * (obs + act));
      if (t < e.steps) data.set(e.actions.subarray(t * act, (t + 1) * act), row * (obs + act) + obs);
    }
  }
  const file = `chunk-${String(manifest.chunks.length).padStart(6, '0')}.f32`;
  writeAtomically(join(dir, file), new Uint8Array(data.buffer));
  const next: Manifest = {
    ...manifest,
    chunks: [...manifest.chunks, { file, runSeed, policy, episodes: episodes.map((e) => ({ seed: e.seed, steps: e.steps })) }],
    steps: manifest.steps + episodes.reduce((n, e) => n + e.steps, 0),
    episodes: manifest.episodes + episodes.length,
  };
  writeAtomically(join(dir, MANIFEST), JSON.stringify(next, null, 1) + '\n');
  return next;
}

/** The manifest of a dataset that must exist. */
export function requireManifest(dir: string): Manifest {
  const manifest = readManifest(dir);
  if (!manifest) throw new ItineraError(`${dir}: no dataset here (manifest.json missing); run itinera collect --out ${dir}`);
  return manifest;
}

/** Every episode the manifest lists (files it does not list, such as a chunk cut off by a kill, are ignored). */
export function readEpisodes(dir: string, manifest: Manifest = requireManifest(dir)): Episode[] {
  const obs = manifest.observation.names.length;
  const act = manifest.action.names.length;
  const width = rowWidth(manifest);
  const episodes: Episode[] = [];
  for (const chunk of manifest.chunks) {
    const bytes = readFileSync(join(dir, chunk.file));
    const data = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    let row = 0;
    for (const e of chunk.episodes) {
      const observations = new Float32Array((e.steps + 1) * obs);
      const actions = new Float32Array(e.steps * act);
      for (let t = 0; t <= e.steps; t++, row++) {
        observations.set(data.subarray(row * width, row * width + obs), t * obs);
        if (t < e.steps) actions.set(data.subarray(row * width + obs, (row + 1) * width), t * act);
      }
      episodes.push({ seed: e.seed, observations, actions, steps: e.steps });
    }
    if (row * width !== data.length) throw new ItineraError(`${join(dir, chunk.file)}: ${data.length / width} rows, the manifest lists ${row}`);
  }
  return episodes;
}

/** Why a model or a second collect run cannot use this data, or undefined when the specs agree. */
export function specMismatch(a: DatasetSpec, b: DatasetSpec): string | undefined {
  if (a.scenario !== b.scenario) return `scenario ${a.scenario} vs ${b.scenario}`;
  if (a.robot !== b.robot) return `robot ${a.robot} vs ${b.robot}`;
  if (a.observation.names.join() !== b.observation.names.join()) return `observation channels differ (${a.observation.names.length} vs ${b.observation.names.length})`;
  if (a.action.names.join() !== b.action.names.join()) return 'action channels differ';
  if (Math.abs(a.controlDt - b.controlDt) > 1e-12) return `control step ${a.controlDt} vs ${b.controlDt}`;
  return undefined;
}

/** Several datasets of one robot and scenario read as one: their channels must agree, their scenario options may differ
 *  (e.g. two variants of a scenario), and each keeps its own episodes so a validation split can take from every one. */
export function readDatasets(dirs: readonly string[]): { manifest: Manifest; parts: Episode[][] } {
  if (dirs.length === 0) throw new ItineraError('no dataset given');
  const manifests = dirs.map(requireManifest);
  manifests.forEach((m, i) => {
    const mismatch = specMismatch(manifests[0], m);
    if (mismatch) throw new ItineraError(`${dirs[i]} cannot be trained on with ${dirs[0]}: ${mismatch}`);
  });
  const parts = dirs.map((dir, i) => readEpisodes(dir, manifests[i]));
  if (manifests.length === 1) return { manifest: manifests[0], parts };
  const options = manifests.map((m) => m.scenarioOptions);
  const sameOptions = options.every((o) => JSON.stringify(o) === JSON.stringify(options[0]));
  const manifest: Manifest = {
    ...manifests[0],
    scenarioOptions: sameOptions ? options[0] : { mixed: options },
    policy: { datasets: manifests.map((m, i) => ({ dir: dirs[i], steps: m.steps, policy: m.policy, scenarioOptions: m.scenarioOptions })) },
    chunks: manifests.flatMap((m) => m.chunks),
    steps: manifests.reduce((n, m) => n + m.steps, 0),
    episodes: manifests.reduce((n, m) => n + m.episodes, 0),
  };
  return { manifest, parts };
}
