// run --adapt --record --view on the shipped reach JEPA: the recording carries adaptation's surprise at every step
// and its updates where they happened, and the replay page built from it has the series and the update ticks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EpisodeEvent } from '@itinera/core';
import { readRecording, replayPage } from '@itinera/viewer';

const BIN = join(import.meta.dirname, '..', 'packages', 'cli', 'bin', 'itinera.js');
const adaptationEvents = (events: EpisodeEvent[]) => events.filter((e): e is Extract<EpisodeEvent, { type: 'adaptation' }> => e.type === 'adaptation');

test('run --adapt --record writes adaptation surprise per step and its updates, and the replay plots them', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'itinera-adapt-record-'));
  const recording = join(dir, 'adapt.jsonl');
  // 20 steps (seed 100 does not reach the target that soon), an update of 3 steps due every 5: a 10-step window
  // first fills at step 10, so updates come at steps 10 and 15 (the last step's transition is never learned from),
  // then 20 gradient steps after the episode.
  const r = spawnSync(process.execPath, [BIN, 'run', '--sim', 'reach-v1', '--sim-opt', 'maxSteps=20', '--planner', 'reach-mppi-jepa', '--seed', '100', '--adapt', '--adapt-opt', 'replay=0', '--adapt-opt', 'window=10', '--adapt-opt', 'every=5', '--adapt-opt', 'steps=3', '--adapt-opt', 'episodeSteps=20', '--record', recording, '--view', '--json'], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  const summary = JSON.parse(r.stdout);
  const events = readRecording(recording);
  const adapt = adaptationEvents(events);
  const during = adapt.filter((e) => !e.afterEpisode);
  assert.deepEqual(during.map((e) => e.step), Array.from({ length: 19 }, (_, i) => i + 1), 'one per learned transition');
  for (const e of during) assert.ok(Number.isFinite(e.surprise) && e.surprise! > 0, JSON.stringify(e));
  assert.deepEqual(adapt.filter((e) => e.gradientSteps).map(({ step, gradientSteps, afterEpisode }) => ({ step, gradientSteps, afterEpisode })), [
    { step: 10, gradientSteps: 3, afterEpisode: undefined },
    { step: 15, gradientSteps: 3, afterEpisode: undefined },
    { step: 20, gradientSteps: 20, afterEpisode: true },
  ]);
  assert.equal(events.findIndex((e) => e.type === 'done') < events.indexOf(adapt.at(-1)!), true, 'the end-of-episode update follows the done event');
  // The recording agrees with the run's report: its mean surprise and its gradient steps.
  const [episode] = summary.episodes;
  const mean = during.reduce((sum, e) => sum + e.surprise!, 0) / during.length;
  assert.ok(Math.abs(mean - episode.adaptation.meanSurprise) < 0.002, `${mean} vs ${episode.adaptation.meanSurprise}`);
  assert.equal(adapt.reduce((sum, e) => sum + (e.gradientSteps ?? 0), 0), episode.adaptation.steps);
  // Between updates the model's own level-0 surprise reading is the same number; at an update it reads the updated model.
  const level0 = new Map(events.flatMap((e) => (e.type === 'surprise' && e.levels[0] !== undefined ? [[e.step, e.levels[0]] as const] : [])));
  for (const e of during.filter((e) => !e.gradientSteps)) assert.equal(level0.get(e.step), e.surprise, `step ${e.step}`);

  assert.ok(existsSync(join(dir, 'adapt.html')), 'run --view wrote the page');
  const { data, html } = await replayPage(recording);
  const { adaptation } = data.episodes[0];
  assert.ok(adaptation, 'the replay has the adaptation');
  assert.equal(adaptation.surprise.length, 21, 'one value per moment');
  assert.equal(adaptation.surprise[0], null, 'none at the reset');
  assert.deepEqual(adaptation.surprise.slice(1, 20), during.map((e) => e.surprise));
  assert.deepEqual(adaptation.updates, [{ index: 10, gradientSteps: 3 }, { index: 15, gradientSteps: 3 }, { index: 20, gradientSteps: 20, afterEpisode: true }]);
  assert.equal(readFileSync(join(dir, 'adapt.html'), 'utf8'), html, 'the page run --view wrote is the one built here');
});
