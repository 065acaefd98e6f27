import type { Env, EpisodeEvent, EpisodeSummary, Planner, Policy } from '@itinera/core';

export interface RunEpisodeOptions {
  seed: number;
  /** Replan every this many control steps (1: receding horizon at control rate). */
  replanEvery?: number;
  onEvent?: (event: EpisodeEvent) => void;
  /** Names written in the reset event. */
  labels?: { planner: string };
}

/** Runs one episode: the only place that advances the live env. */
export async function runEpisode(env: Env, planner: Planner, options: RunEpisodeOptions): Promise<EpisodeSummary> {
  const { seed, replanEvery = 1, onEvent = () => {} } = options;
  const started = performance.now();
  planner.reset(seed);
  let { observation } = env.reset({ seed });
  onEvent({ type: 'reset', t: 0, step: 0, scenario: env.id, robot: env.robotName, planner: options.labels?.planner ?? planner.name, seed });
  const planMs: number[] = [];
  let policy: Policy | undefined;
  let time = 0;
  let step = 0;
  let failure: string | null = null;
  let success = false;
  for (;;) {
    if (policy === undefined || step % replanEvery === 0) {
      const t0 = performance.now();
      try {
        policy = await planner.plan({ observation, time, step, snapshot: env.snapshot() });
      } catch (error) {
        failure = 'planner-error';
        onEvent({ type: 'done', t: time, step, success: false, failure: `planner-error: ${(error as Error).message}`, terminated: true, truncated: false });
        break;
      }
      const ms = performance.now() - t0;
      planMs.push(ms);
      onEvent({ type: 'plan', t: time, step, level: 0, ms });
    }
    const action = policy.action(time, observation);
    const result = env.step(action);
    observation = result.observation;
    time = result.info.time;
    step = result.info.step;
    onEvent({ type: 'tick', t: time, step, action: result.info.appliedAction ?? Array.from(action), cost: result.cost });
    if (result.terminated || result.truncated) {
      success = result.info.success;
      failure = success ? null : (result.info.failure ?? 'failed');
      onEvent({ type: 'done', t: time, step, success, ...(failure ? { failure } : {}), terminated: result.terminated, truncated: result.truncated });
      break;
    }
  }
  return {
    seed,
    success,
    steps: step,
    simTime: time,
    wallMs: performance.now() - started,
    planMs: summariseMs(planMs),
    replans: Math.max(0, planMs.length - 1),
    failure,
    subgoals: [],
  };
}

function summariseMs(values: number[]): { mean: number; p95: number } {
  if (values.length === 0) return { mean: 0, p95: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return { mean, p95: sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)] };
}
