import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDifferentiableModel, parseWithSchema, Rng, type CostGradient, type DifferentiableModel, type EnvSnapshot, type RolloutResult } from '@itinera/core';
import { gradientPlanner } from '@itinera/mpc';
import { runEpisode } from '@itinera/runtime';
import { PointMassEnv, PointMassModel } from '@itinera/testkit';

/** The exact point mass made differentiable by central differences: tests the planner apart from any tensor library. */
class DifferentiablePointMass implements DifferentiableModel<EnvSnapshot> {
  readonly kind = 'learned' as const;
  readonly differentiable = true as const;
  private readonly exact = new PointMassModel();
  gradientCalls = 0;

  rollout(start: EnvSnapshot, actions: Float64Array, batch: number, horizon: number): RolloutResult {
    return this.exact.rollout(start, actions, batch, horizon);
  }

  costGradient(start: EnvSnapshot, actions: Float64Array, batch: number, horizon: number): CostGradient {
    this.gradientCalls++;
    const total = (x: Float64Array, b: number) => {
      const c = this.exact.rollout(start, x.subarray(b * horizon * 2, (b + 1) * horizon * 2), 1, horizon).costs;
      return c.reduce((s, v) => s + v, 0);
    };
    const costs = Float64Array.from({ length: batch }, (_, b) => total(actions, b));
    const gradient = new Float64Array(actions.length);
    const x = Float64Array.from(actions);
    for (let j = 0; j < actions.length; j++) {
      const b = Math.floor(j / (horizon * 2));
      x[j] = actions[j] + 1e-4;
      const up = total(x, b);
      x[j] = actions[j] - 1e-4;
      gradient[j] = (up - total(x, b)) / 2e-4;
      x[j] = actions[j];
    }
    return { costs, gradient };
  }

  free(): void {}
}

test('the gradient planner drives the point mass to its goal through a differentiable model', async () => {
  for (const seed of [0, 1, 2]) {
    const env = new PointMassEnv(200);
    const model = new DifferentiablePointMass();
    assert.ok(isDifferentiableModel(model));
    const config = parseWithSchema(gradientPlanner.schema, { ...gradientPlanner.defaults, horizon: 15, iterations: 6, starts: 3, learningRate: 0.2 }, 'gradient');
    const planner = gradientPlanner.create(config, { actionSpec: env.actionSpec, observationSpec: env.observationSpec, controlDt: env.controlDt, rng: new Rng(0), model });
    const episode = await runEpisode(env, planner, { seed });
    assert.equal(episode.success, true, `seed ${seed}: ${episode.failure} after ${episode.steps} steps`);
    assert.equal(env.stepCalls, episode.steps, 'only the runner steps the live env');
    assert.ok(model.gradientCalls >= 6);
  }
});

test('the gradient planner is deterministic for a seed', async () => {
  const run = async () => {
    const env = new PointMassEnv(30);
    const config = parseWithSchema(gradientPlanner.schema, { ...gradientPlanner.defaults, horizon: 10, iterations: 3, starts: 3 }, 'gradient');
    const planner = gradientPlanner.create(config, { actionSpec: env.actionSpec, observationSpec: env.observationSpec, controlDt: env.controlDt, rng: new Rng(0), model: new DifferentiablePointMass() });
    const actions: number[][] = [];
    await runEpisode(env, planner, { seed: 7, onEvent: (e) => e.type === 'tick' && actions.push(e.action) });
    return actions;
  };
  assert.deepEqual(await run(), await run());
});
