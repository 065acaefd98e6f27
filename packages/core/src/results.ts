// The machine-readable results `itinera run --json` prints and benchmarks store. Keep field names stable.
import type { ModelKind } from './dynamics.js';

/** What one planning level planned on: 'level 0: mppi on sim (simulator)'. */
export interface LevelSummary {
  /** 0 is control; higher levels are slower and coarser. */
  level: number;
  planner: string;
  /** The model's name: 'sim', a --model directory, 'learned (FILE)', 'kinematic', a task tree's name. */
  model: string;
  kind: ModelKind;
  /** What ran the model: 'rapier', 'typescript', a TensorFlow.js backend. */
  backend: string;
}

export interface SubgoalResult {
  name: string;
  status: 'done' | 'failed' | 'skipped' | 'active';
  steps: number;
}

export interface EpisodeSummary {
  seed: number;
  success: boolean;
  steps: number;
  /** Simulated seconds, rounded to the control step (steps × control dt, without float noise). */
  simTime: number;
  wallMs: number;
  /** Wall-clock milliseconds per plan: mean, median and 95th percentile (a few slow plans lift the mean above p50). */
  planMs: { mean: number; p50: number; p95: number };
  /**
   * How many times the planner was asked to plan again after the start plan: a count, not a list. Every level counts,
   * periodic level-0 replans (--replan-every) included, so it is about steps ÷ replanEvery for flat planners.
   */
  replans: number;
  /** `replans` split by level, keyed by level number: `{ "0": 1000, "1": 60, "2": 4 }` (0 control, 1 waypoints, 2 task). */
  replansByLevel: Record<string, number>;
  /** Null on success; otherwise 'timeout', 'invalid-action', 'diverged', 'planner-error' or a task's reason. */
  failure: string | null;
  subgoals: SubgoalResult[];
  /** With --adapt: the model's mean one-step surprise, steps buffered, gradient steps and their CPU milliseconds; with fit action-map, the map's rows. */
  adaptation?: { meanSurprise: number; buffered: number; steps: number; cpuMs: number; actionMap?: number[][] };
}

export interface RunSummary {
  scenario: string;
  robot: string;
  planner: string;
  /** What planners rolled out on: 'sim', a --model directory, plus a preset's own models ('sim + level 1: learned (…)'). */
  model: string;
  /**
   * What ran the learned models: the TensorFlow.js backend (and onnxruntime with --rollouts onnx) of a --model
   * directory, or 'typescript' when the only learned model is a preset's level-1 network (plain TypeScript inference);
   * 'none' only when no learned model was used (the simulator alone).
   */
  backend: string;
  /** Per level, top first: the planner and the model it planned on. */
  levels: LevelSummary[];
  successRate: number;
  episodes: EpisodeSummary[];
  /** Present when the run advanced at wall-clock pace (--realtime): not deterministic; plans/s is (replans + 1) ÷ wall seconds. */
  realtime?: true;
}
