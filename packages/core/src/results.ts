// The machine-readable results `itinera run --json` prints and benchmarks store. Keep field names stable.

export interface SubgoalResult {
  name: string;
  status: 'done' | 'failed' | 'skipped' | 'active';
  steps: number;
}

export interface EpisodeSummary {
  seed: number;
  success: boolean;
  steps: number;
  /** Simulated seconds. */
  simTime: number;
  wallMs: number;
  planMs: { mean: number; p95: number };
  replans: number;
  /** Null on success; otherwise 'timeout', 'invalid-action', 'diverged', 'planner-error' or a task's reason. */
  failure: string | null;
  subgoals: SubgoalResult[];
}

export interface RunSummary {
  scenario: string;
  robot: string;
  planner: string;
  model: string;
  backend: string;
  successRate: number;
  episodes: EpisodeSummary[];
}
