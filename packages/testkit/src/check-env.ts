// The Env contract every registered scenario × robot must honour; returns violations, empty when clean.
import { Rng, type Env } from '@itinera/core';

export interface CheckEnvOptions {
  seed?: number;
  /** Steps per rollout in the determinism and snapshot checks. */
  steps?: number;
}

export function checkEnv(env: Env, options: CheckEnvOptions = {}): string[] {
  const { seed = 7, steps = 20 } = options;
  const problems: string[] = [];
  const fail = (message: string) => problems.push(`${env.id} · ${env.robotName}: ${message}`);
  const { observationSpec: obs, actionSpec: act } = env;

  if (obs.names.length !== obs.size) fail(`observationSpec has ${obs.names.length} names for ${obs.size} channels`);
  if (act.names.length !== act.size) fail(`actionSpec has ${act.names.length} names for ${act.size} channels`);
  for (let i = 0; i < act.size; i++) if (!(act.low[i] < act.high[i])) fail(`action bounds of '${act.names[i]}' are empty`);
  if (!(env.controlDt > 0)) fail(`controlDt must be positive (got ${env.controlDt})`);

  const randomActions = (n: number): Float64Array[] => {
    const rng = new Rng(seed).fork('check-env-actions');
    return Array.from({ length: n }, () => Float64Array.from({ length: act.size }, (_, i) => rng.uniform(act.low[i], act.high[i])));
  };
  const rollout = (actions: Float64Array[]): number[][] => {
    const out: number[][] = [];
    for (const a of actions) {
      const r = env.step(a);
      out.push([...r.observation, r.cost]);
      if (r.terminated || r.truncated) break;
    }
    return out;
  };

  const first = env.reset({ seed });
  if (first.observation.length !== obs.size) fail(`reset observation has ${first.observation.length} values, expected ${obs.size}`);
  if (!first.observation.every(Number.isFinite)) fail('reset observation has non-finite values');
  const step = env.step(new Float64Array(act.size));
  if (step.observation.length !== obs.size) fail(`step observation has ${step.observation.length} values, expected ${obs.size}`);
  if (!Number.isFinite(step.cost)) fail(`step cost is ${step.cost}`);
  if (step.info.step !== 1) fail(`info.step after one step is ${step.info.step}, expected 1`);
  if (Math.abs(step.info.time - env.controlDt) > 1e-9) fail(`info.time after one step is ${step.info.time}, expected ${env.controlDt}`);

  const actions = randomActions(steps);
  env.reset({ seed });
  const a = rollout(actions);
  env.reset({ seed });
  const b = rollout(actions);
  if (!sameBits(a, b)) fail('same seed and actions gave different observations');

  env.reset({ seed });
  rollout(actions.slice(0, steps / 2));
  const snap = env.snapshot();
  const c = rollout(actions);
  env.restore(snap);
  const d = rollout(actions);
  if (!sameBits(c, d)) fail('restoring a snapshot and replaying the same actions gave a different trajectory');

  env.reset({ seed });
  for (const bad of [[NaN, ...new Array(act.size - 1).fill(0)], new Array(act.size + 1).fill(0)]) {
    env.reset({ seed });
    try {
      const r = env.step(bad);
      if (!r.terminated || r.info.failure !== 'invalid-action') fail(`action ${JSON.stringify(bad)} did not end the episode with 'invalid-action'`);
    } catch (error) {
      fail(`action ${JSON.stringify(bad)} threw instead of ending the episode: ${(error as Error).message}`);
    }
  }
  return problems;
}

function sameBits(a: number[][], b: number[][]): boolean {
  return a.length === b.length && a.every((row, i) => row.length === b[i].length && row.every((v, j) => Object.is(v, b[i][j])));
}
