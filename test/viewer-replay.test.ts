// Recording for the replay viewer (scene, frames, cost terms, predicted paths) and the replay page built from it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ItineraError, parseWithSchema, Rng, type EpisodeEvent, type Vec3 } from '@itinera/core';
import { mppiPlanner } from '@itinera/mpc';
import { createEnv, SimulatorModel } from '@itinera/physics';
import { loadBuiltinRobot } from '@itinera/robots';
import { runEpisode } from '@itinera/runtime';
import { reach } from '@itinera/sim-reach';
import { buildReplay, readRecording, replayPage, DATA_ELEMENT_ID } from '@itinera/viewer';

const robot = loadBuiltinRobot('reacher');
const ofType = <T extends EpisodeEvent['type']>(events: EpisodeEvent[], type: T) => events.filter((e): e is Extract<EpisodeEvent, { type: T }> => e.type === type);

/** A short reach episode under a small MPPI, planning every 2 steps on the simulator at the live world's step. */
async function reachEpisode(viewerData: boolean): Promise<EpisodeEvent[]> {
  const env = await createEnv(reach, robot, { maxSteps: 12 });
  const model = await SimulatorModel.create(reach, robot);
  const config = parseWithSchema(mppiPlanner.schema, { ...mppiPlanner.defaults, samples: 8, horizon: 10 }, 'mppi');
  const planner = mppiPlanner.create(config, { actionSpec: env.actionSpec, observationSpec: env.observationSpec, controlDt: env.controlDt, rng: new Rng(0), model });
  const events: EpisodeEvent[] = [];
  try {
    await runEpisode(env, planner, { seed: 3, replanEvery: 2, viewerData, onEvent: (e) => events.push(e) });
  } finally {
    planner.dispose();
    model.free();
    env.free();
  }
  return events;
}

const fingertip = (event: { frame?: { links: Record<string, number[]> } }): Vec3 => {
  const [x, y, z, qx, qy, qz, qw] = event.frame!.links[robot.endEffector!.link];
  // The reacher's end-effector point is the fingertip link's origin; rotation does not move it.
  assert.deepEqual(robot.endEffector!.point, [0, 0, 0]);
  assert.ok(Math.abs(Math.hypot(qx, qy, qz, qw) - 1) < 1e-5);
  return [x, y, z];
};

test('with viewer data an episode records its scene, a frame and cost terms per tick, and each plan\'s predicted path', async () => {
  const events = await reachEpisode(true);
  assert.deepEqual(events.slice(0, 2).map((e) => e.type), ['reset', 'scene']);
  const [scene] = ofType(events, 'scene');
  assert.equal(scene.robot.name, 'reacher');
  assert.equal(scene.scene.ground, true);
  assert.deepEqual(Object.keys(scene.frame.links).sort(), robot.links.map((l) => l.name).sort());
  assert.equal(scene.frame.markers[0].name, 'target');

  const ticks = ofType(events, 'tick');
  assert.equal(ticks.length, 12);
  for (const tick of ticks) {
    assert.deepEqual(Object.keys(tick.frame!.links).sort(), robot.links.map((l) => l.name).sort());
    assert.ok('distance' in tick.terms! && 'effort' in tick.guardrails!, JSON.stringify(tick.terms));
    assert.ok(!('effort' in tick.terms!), 'guardrail terms are kept apart');
  }
  assert.notDeepEqual(fingertip(ticks[0]), fingertip(ticks.at(-1)!), 'the arm moves');

  // The predicted path is the planner's own rollout of its plan: on the simulator at the live step it is exactly
  // where the end effector then goes, for the two steps the plan is in force.
  const plans = ofType(events, 'plan');
  assert.equal(plans.length, 6);
  for (const plan of plans) {
    assert.equal(plan.predicted!.length, 10, 'one point per step of the horizon');
    for (const k of [0, 1]) {
      const tick = ticks.find((t) => t.step === plan.step + k + 1)!;
      const expected = fingertip(tick);
      plan.predicted![k].forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-4, `plan at ${plan.step}, step +${k + 1}: ${plan.predicted![k]} vs ${expected}`));
    }
  }
});

test('without viewer data the events are as before: no scene, frames, terms or predicted paths', async () => {
  const events = await reachEpisode(false);
  assert.equal(ofType(events, 'scene').length, 0);
  for (const tick of ofType(events, 'tick')) assert.deepEqual(Object.keys(tick).sort(), ['action', 'cost', 'step', 't', 'type']);
  for (const plan of ofType(events, 'plan')) assert.equal(plan.predicted, undefined);
});

test('the replay data folds periodic replans and lists subgoals, guardrails and the outcome in order', () => {
  const base = { t: 0 };
  const events: EpisodeEvent[] = [
    { ...base, type: 'reset', step: 0, scenario: 'commute-v1', robot: 'rover', planner: 'hierarchical', seed: 1 },
    { ...base, type: 'replan', step: 0, level: 1, reason: 'start' },
    { ...base, type: 'subgoal-start', step: 0, name: 'leave-office', level: 1 },
    ...[1, 2, 3].map((step): EpisodeEvent => ({ ...base, type: 'replan', step, level: 0, reason: 'periodic' })),
    { ...base, type: 'guardrail', step: 3, name: 'collision', value: 0.5 },
    { ...base, type: 'subgoal-failed', step: 4, name: 'take-elevator', level: 1, reason: 'out of service' },
    { ...base, type: 'replan', step: 4, level: 1, reason: 'subgoal-failed' },
    { ...base, type: 'done', step: 5, success: false, failure: 'timeout', terminated: false, truncated: true },
  ];
  const [episode] = buildReplay(events, 'x.jsonl').episodes;
  assert.deepEqual(
    episode.timeline.map((e) => [e.step, e.text, e.count, e.endStep]),
    [
      [0, 'replan: start (level 1)', undefined, undefined],
      [0, 'leave-office started (level 1)', undefined, undefined],
      [1, 'replan: periodic (level 0)', 3, 3],
      [3, 'guardrail collision: 0.500', undefined, undefined],
      [4, 'take-elevator failed: out of service (level 1)', undefined, undefined],
      [4, 'replan: subgoal-failed (level 1)', undefined, undefined],
      [5, 'done: failed: timeout', undefined, undefined],
    ],
  );
  assert.equal(episode.scene, undefined, 'a recording without viewer data has no scene; the page shows timeline and plot');
});

test("the replay data gives each level's surprise per moment and places the replans it caused", () => {
  const at = (step: number) => ({ t: step * 0.02, step });
  const events: EpisodeEvent[] = [
    { ...at(0), type: 'reset', scenario: 'commute-v1', robot: 'rover', planner: 'hierarchical', seed: 1 },
    { ...at(0), type: 'replan', level: 2, reason: 'start' },
    { ...at(1), type: 'tick', action: [0], cost: 1 },
    { ...at(1), type: 'surprise', levels: { 1: 0.2 } },
    { ...at(2), type: 'tick', action: [0], cost: 1 },
    { ...at(2), type: 'surprise', levels: { 0: 0.05, 1: 0.9 } },
    { ...at(2), type: 'replan', level: 1, reason: 'surprise', surprise: 0.9 },
    { ...at(3), type: 'tick', action: [0], cost: 1 },
  ];
  const [episode] = buildReplay(events, 'x.jsonl').episodes;
  assert.deepEqual(episode.surprise, { 0: [null, null, 0.05, null], 1: [null, 0.2, 0.9, null] });
  assert.deepEqual(episode.surpriseReplans, [{ index: 2, level: 1, value: 0.9 }]);
  assert.ok(episode.timeline.some((e) => e.text === 'replan: surprise 0.9 (level 1)'), 'the timeline names the value');
});

test("the replay data gives online adaptation's surprise per moment and places its updates; recordings without it have none", () => {
  const at = (step: number) => ({ t: step * 0.02, step });
  const start: EpisodeEvent = { ...at(0), type: 'reset', scenario: 'reach-v1', robot: 'reacher', planner: 'mppi', seed: 1 };
  const ticks = [1, 2, 3].map((step): EpisodeEvent => ({ ...at(step), type: 'tick', action: [0], cost: 1 }));
  const events: EpisodeEvent[] = [
    start,
    ticks[0],
    { ...at(1), type: 'adaptation', surprise: 0.3 },
    ticks[1],
    { ...at(2), type: 'adaptation', surprise: 0.25, gradientSteps: 4 },
    ticks[2],
    { ...at(3), type: 'done', success: false, failure: 'timeout', terminated: false, truncated: true },
    { ...at(3), type: 'adaptation', gradientSteps: 50, afterEpisode: true },
  ];
  const [episode] = buildReplay(events, 'x.jsonl').episodes;
  assert.deepEqual(episode.adaptation, {
    surprise: [null, 0.3, 0.25, null],
    updates: [
      { index: 2, gradientSteps: 4 },
      { index: 3, gradientSteps: 50, afterEpisode: true },
    ],
  });
  assert.equal(episode.timeline.length, 1, 'updates stay out of the timeline');
  assert.equal(buildReplay([start, ...ticks], 'old.jsonl').episodes[0].adaptation, undefined, 'a recording without --adapt has no adaptation');
});

test('a recording file becomes one self-contained page: data and code inline, nothing fetched', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'itinera-viewer-'));
  const file = join(dir, 'two.jsonl');
  const events = await reachEpisode(true);
  // Two episodes in one file, as `run --episodes 2 --record` writes them, and a half-written last line.
  writeFileSync(file, [...events, ...events].map((e) => JSON.stringify(e)).join('\n') + '\n{"type":"ti');
  const { html, data } = await replayPage(file);
  assert.equal(data.episodes.length, 2);
  assert.equal(data.episodes[0].frames.length, 13, 'the reset frame and one per tick');
  assert.equal(data.episodes[0].plans.filter((p) => p.predicted).length, 6);
  assert.doesNotMatch(html, /<script[^>]+src=|<link[^>]+href=|@import/i, 'no external script, stylesheet or import');
  assert.match(html, /default-src 'none'/, 'the content security policy forbids any fetch');
  const inlined = html.slice(html.indexOf(`id="${DATA_ELEMENT_ID}"`));
  assert.equal(JSON.parse(inlined.slice(inlined.indexOf('>') + 1, inlined.indexOf('</script>'))).episodes.length, 2);
  assert.ok(html.length > 200_000, 'three.js is bundled in');

  writeFileSync(file, '{"type":"tick","step":1}\nnot json\n{}\n');
  assert.throws(() => readRecording(file), (e: unknown) => e instanceof ItineraError && /two\.jsonl:2: not a JSON line/.test(e.message));
  writeFileSync(file, '{"type":"tick","t":0,"step":1,"action":[],"cost":0}\n');
  assert.throws(() => readRecording(file), (e: unknown) => e instanceof ItineraError && /starts with a reset event/.test(e.message));
  assert.throws(() => readRecording(join(dir, 'missing.jsonl')), /does not exist/);
});

test('view and run --view fail with one clear line on a missing recording or a missing --record', () => {
  const bin = join(import.meta.dirname, '..', 'packages', 'cli', 'bin', 'itinera.js');
  const itinera = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000 });
  const missing = itinera('view', join(tmpdir(), 'no-such-recording.jsonl'));
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /^itinera: recording '.*no-such-recording\.jsonl' does not exist\n$/);
  const noRecord = itinera('run', '--view');
  assert.equal(noRecord.status, 1);
  assert.match(noRecord.stderr, /^itinera: --view needs --record FILE\.jsonl/);
});
