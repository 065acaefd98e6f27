import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ItineraError, parseWithSchema, Rng, type PlannerDefinition } from '@itinera/core';
import { cemPlanner, effectiveSamples, evaluate, gradientPlanner, mppiPlanner, predictiveSamplingPlanner, samplingSchema, shift, type KnotPlan } from '@itinera/mpc';
import { runEpisode } from '@itinera/runtime';
import { checkEnv, PointMassEnv, PointMassModel } from '@itinera/testkit';

const SAMPLING: PlannerDefinition<any>[] = [predictiveSamplingPlanner, cemPlanner, mppiPlanner];

function plannerFor(def: PlannerDefinition<any>, env: PointMassEnv, options: Record<string, unknown> = {}) {
  const config = parseWithSchema(def.schema, { ...def.defaults, horizon: 20, samples: 32, ...options }, def.name);
  return def.create(config, { actionSpec: env.actionSpec, observationSpec: env.observationSpec, controlDt: env.controlDt, rng: new Rng(0), model: new PointMassModel() });
}

test('the point mass honours the Env contract', () => {
  assert.deepEqual(checkEnv(new PointMassEnv()), []);
});

for (const def of SAMPLING) {
  test(`${def.name} drives the point mass to its goal on every seed, never stepping the live env`, async () => {
    for (const seed of [0, 1, 2]) {
      const env = new PointMassEnv(200);
      const planner = plannerFor(def, env);
      const episode = await runEpisode(env, planner, { seed });
      assert.equal(episode.success, true, `${def.name} seed ${seed}: ${episode.failure} after ${episode.steps} steps`);
      assert.equal(env.stepCalls, episode.steps, 'only the runner steps the live env');
    }
  });

  test(`${def.name} is deterministic for a seed`, async () => {
    const run = async () => {
      const env = new PointMassEnv(60);
      const actions: number[][] = [];
      await runEpisode(env, plannerFor(def, env), { seed: 4, onEvent: (e) => e.type === 'tick' && actions.push(e.action) });
      return actions;
    };
    assert.deepEqual(await run(), await run());
  });
}

test('a plan request\'s exploration scales every sampling planner\'s noise for that plan; 1 changes nothing', async () => {
  for (const def of SAMPLING) {
    const env = new PointMassEnv(60);
    const spreads: number[] = [];
    const model = new PointMassModel();
    const recording = Object.assign(Object.create(model), {
      rollout(start: unknown, actions: Float64Array, batch: number, horizon: number) {
        // Spread of the candidates' first actions about candidate 0 (the nominal), at the first plan.
        if (spreads.length === 0) {
          const a = actions.length / (batch * horizon);
          let sum = 0;
          for (let b = 1; b < batch; b++) sum += (actions[b * horizon * a] - actions[0]) ** 2;
          spreads.push(Math.sqrt(sum / (batch - 1)));
        }
        return model.rollout(start as never, actions, batch, horizon);
      },
    });
    const run = async (exploration?: () => number) => {
      spreads.length = 0;
      const config = parseWithSchema(def.schema, { ...def.defaults, horizon: 20, samples: 32, noise: 0.1 }, def.name);
      const planner = def.create(config, { actionSpec: env.actionSpec, observationSpec: env.observationSpec, controlDt: env.controlDt, rng: new Rng(0), model: recording });
      const actions: number[][] = [];
      const events: unknown[] = [];
      const summary = await runEpisode(env, planner, { seed: 3, onEvent: (e) => (events.push(e), e.type === 'tick' && actions.push(e.action)), exploration });
      return { actions, spread: spreads[0], summary, events };
    };
    const plain = await run();
    assert.deepEqual((await run(() => 1)).actions, plain.actions, `${def.name}: exploration 1 is the plain plan`);
    const wide = await run(() => 3);
    assert.ok(wide.spread > 2.5 * plain.spread && wide.spread < 3.5 * plain.spread, `${def.name}: spread ${plain.spread} → ${wide.spread}`);
    const refused = await run(() => 0);
    assert.equal(refused.summary.failure, 'planner-error');
    assert.match(JSON.stringify(refused.events.at(-1)), /exploration must be a positive factor/);
  }
});

test('a compute budget fixes samples × horizon × iterations so planners compare at equal compute', () => {
  const config = samplingSchema.parse({ horizon: 30, iterations: 3, budget: 1920 });
  assert.equal(effectiveSamples(config), 21);
  const env = new PointMassEnv();
  for (const def of SAMPLING) {
    const p = plannerFor(def, env, { horizon: 30, budget: 1920 }) as unknown as { budget: number };
    assert.ok(p.budget <= 1920 && p.budget > 1800, `${def.name} budget ${p.budget}`);
  }
});

test('planner schemas reject unknown keys and bad values with a clear message', () => {
  assert.throws(() => parseWithSchema(mppiPlanner.schema, { ...mppiPlanner.defaults, temprature: 1 }, '--opt (mppi)'), (e: unknown) => e instanceof ItineraError && /--opt \(mppi\): .*temprature/.test(e.message));
  assert.throws(() => parseWithSchema(cemPlanner.schema, { ...cemPlanner.defaults, samples: -3 }, '--opt (cem)'), (e: unknown) => e instanceof ItineraError && /--opt \(cem\): samples: /.test(e.message));
});

test('gradient refuses the simulator model with a clear message', () => {
  const env = new PointMassEnv();
  assert.throws(
    () => gradientPlanner.create(gradientPlanner.defaults, { actionSpec: env.actionSpec, observationSpec: env.observationSpec, controlDt: env.controlDt, rng: new Rng(0), model: new PointMassModel() }),
    (e: unknown) => e instanceof ItineraError && /needs a differentiable model/.test(e.message),
  );
});

test('action plans pass through their knots under every interpolation, and shifting keeps the trajectory', () => {
  for (const interpolation of ['zoh', 'linear', 'spline'] as const) {
    const plan: KnotPlan = { start: 1, span: 3, knots: Float64Array.from([0, 1, -1, 2]), count: 4, size: 1, interpolation };
    for (let i = 0; i < 4; i++) assert.ok(Math.abs(evaluate(plan, 1 + i)[0] - plan.knots[i]) < 1e-12, `${interpolation} knot ${i}`);
    assert.equal(evaluate(plan, -5)[0], 0, 'held before the start');
    assert.equal(evaluate(plan, 99)[0], 2, 'held after the end');
    const later = shift(plan, 2);
    for (const t of [2, 2.5, 3, 3.7]) {
      if (interpolation === 'linear') assert.ok(Math.abs(evaluate(later, t)[0] - evaluate(plan, t)[0]) < 1e-12);
    }
    assert.ok(Math.abs(evaluate(later, 2)[0] - evaluate(plan, 2)[0]) < 1e-12, `${interpolation}: the shifted plan starts where the old one was`);
  }
});
