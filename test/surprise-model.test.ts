// Level-0 surprise on reach-v1 with a tiny JEPA trained here: the model's one-step error means something (what
// happened scores lower than what did not), it replans level 0 through the runtime with its value, the recording
// keeps the readings, and `run --json` reports level 0 as learned on its tfjs backend.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseWithSchema, Rng, type EpisodeEvent } from '@itinera/core';
import { mppiPlanner } from '@itinera/mpc';
import { createEnv } from '@itinera/physics';
import { loadBuiltinRobot } from '@itinera/robots';
import { runEpisode } from '@itinera/runtime';
import { reach, reachOptionsSchema } from '@itinera/sim-reach';
import { collect, initBackend, LatentDynamicsModel, ObservedEnv, readEpisodes, train } from '@itinera/world-model';
import { tinyReachJepa } from './tiny-reach-jepa.js';

const BIN = join(import.meta.dirname, '..', 'packages', 'cli', 'bin', 'itinera.js');
const robot = loadBuiltinRobot('reacher');
const scenarioOptions = reachOptionsSchema.parse({}) as Record<string, unknown>;
const root = mkdtempSync(join(tmpdir(), 'itinera-surprise-'));
const modelDir = join(root, 'model');
const heldOut = join(root, 'held-out');


/** Sets the trained model's surprise settings the documented way: in its model.json, read at load time. */
function setSurprise(threshold: number, cooldown: number): void {
  const file = join(modelDir, 'model.json');
  const json = JSON.parse(readFileSync(file, 'utf8'));
  json.config.planning.surprise = { threshold, cooldown };
  writeFileSync(file, JSON.stringify(json));
}

before(async () => {
  await initBackend('wasm');
  const env = await createEnv(reach, robot, { scenarioOptions });
  collect(env, join(root, 'data'), { steps: 2000, seed: 1, scenarioOptions, episodeSteps: 100 });
  collect(env, heldOut, { steps: 400, seed: 2, scenarioOptions, episodeSteps: 100 });
  env.free();
  await train({ data: join(root, 'data'), config: tinyReachJepa, out: modelDir, backend: 'wasm' });
});

after(() => rmSync(root, { recursive: true, force: true }));

test('the one-step error is lower for what happened than for what did not', () => {
  const model = LatentDynamicsModel.load(modelDir);
  const [obsSize, actSize] = [model.model.file.spec.observation.names.length, model.model.file.spec.action.names.length];
  let [happened, other, n] = [0, 0, 0];
  for (const e of readEpisodes(heldOut)) {
    const obs = (t: number) => Float64Array.from(e.observations.subarray(t * obsSize, (t + 1) * obsSize));
    for (let t = 0; t + 10 <= e.steps; t += 5) {
      const action = Float64Array.from(e.actions.subarray(t * actSize, (t + 1) * actSize));
      happened += model.surprise.error(obs(t), action, obs(t + 1));
      other += model.surprise.error(obs(t), action, obs(t + 10));
      n++;
    }
  }
  model.free();
  assert.ok(n >= 20);
  assert.ok(happened / n < 0.5 * (other / n), `mean error ${happened / n} on what happened vs ${other / n} on an observation 10 steps later`);
});

/** An MPPI episode on the learned model (plans every 4 steps), recorded with viewer data. */
async function learnedEpisode(): Promise<{ events: EpisodeEvent[]; replansByLevel: Record<string, number> }> {
  const env = new ObservedEnv(await createEnv(reach, robot, { scenarioOptions, maxSteps: 40 }));
  const model = LatentDynamicsModel.load(modelDir);
  const config = parseWithSchema(mppiPlanner.schema, { ...mppiPlanner.defaults, samples: 16, horizon: 8 }, 'mppi');
  const planner = mppiPlanner.create(config, { actionSpec: env.actionSpec, observationSpec: env.observationSpec, controlDt: env.controlDt, rng: new Rng(0), model });
  const events: EpisodeEvent[] = [];
  try {
    const summary = await runEpisode(env, planner, { seed: 3, replanEvery: 4, viewerData: true, model, onEvent: (e) => events.push(e) });
    return { events, replansByLevel: summary.replansByLevel };
  } finally {
    planner.dispose();
    model.free();
    env.free();
  }
}

test('a learned level 0 replans on its surprise, carrying the value, and the recording keeps every step’s reading', async () => {
  setSurprise(1e-6, 3);
  const { events, replansByLevel } = await learnedEpisode();
  const surprised = events.filter((e): e is Extract<EpisodeEvent, { type: 'replan' }> => e.type === 'replan' && e.reason === 'surprise');
  assert.ok(surprised.length >= 5, `surprise replans: ${surprised.length}`);
  for (const [i, e] of surprised.entries()) {
    assert.equal(e.level, 0);
    assert.ok(e.surprise! > 1e-6, `replan at step ${e.step} carries ${e.surprise}`);
    assert.notEqual(e.step % 4, 0, 'a periodic plan covers every 4th step');
    if (i > 0) assert.ok(e.step - surprised[i - 1].step >= 3, 'the cooldown holds');
  }
  const readings = events.filter((e): e is Extract<EpisodeEvent, { type: 'surprise' }> => e.type === 'surprise');
  assert.deepEqual(readings.map((e) => e.step), Array.from({ length: 39 }, (_, i) => i + 1), 'one reading per step after reset');
  assert.ok(readings.every((e) => Object.keys(e.levels).join() === '0' && e.levels[0] >= 0));
  assert.equal(replansByLevel[0], 9 + surprised.length, 'periodic replans (steps 4…36) and surprise replans are counted at level 0');

  setSurprise(1e6, 3);
  const calm = await learnedEpisode();
  assert.equal(calm.events.filter((e) => e.type === 'replan' && e.reason === 'surprise').length, 0);
});

test('run --json reports a --model level 0 as learned on its tfjs backend', () => {
  const r = spawnSync(process.execPath, [BIN, 'run', '--sim', 'reach-v1', '--planner', 'mppi', '--opt', 'samples=8', '--opt', 'horizon=5', '--model', modelDir, '--backend', 'wasm', '--sim-opt', 'maxSteps=2', '--json'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.deepEqual(s.levels, [{ level: 0, planner: 'mppi', model: modelDir, kind: 'learned', backend: s.backend }]);
  assert.match(s.backend, /wasm/);
});
