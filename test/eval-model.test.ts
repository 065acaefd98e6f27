// eval-model's two checks per level, through the CLI: a small reach JEPA trained for 15 s must order MPPI's own
// candidates more like the simulator does than the same model after one step of training (seed 0 gives 0.52 vs
// 0.05; seeds 3 and 7 gave 0.07 vs -0.10 and 0.29 vs -0.17 when this test was written).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rankAgreement, spreadOf } from '@itinera/cli/rank-agreement';

const BIN = join(import.meta.dirname, '..', 'packages', 'cli', 'bin', 'itinera.js');
const root = mkdtempSync(join(tmpdir(), 'itinera-eval-model-'));

function itinera(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('rank agreement: Spearman, top-1 and top-k of two cost orderings', () => {
  const same = rankAgreement([1, 2, 3, 4], [10, 20, 30, 40], 2);
  assert.ok(Math.abs(same.spearman - 1) < 1e-12);
  assert.equal(same.top1, 1);
  assert.equal(same.topK, 1);
  const reversed = rankAgreement([4, 3, 2, 1], [10, 20, 30, 40], 2);
  assert.ok(Math.abs(reversed.spearman + 1) < 1e-12);
  assert.equal(reversed.top1, 0);
  assert.equal(reversed.topK, 0);
  assert.deepEqual(spreadOf([NaN, 0.5]), { mean: 0.5, p10: 0.5, median: 0.5, p90: 0.5 });
});

test('eval-model: a trained reach model ranks the planner candidates better than an untrained one, both checks named', () => {
  const data = join(root, 'data');
  assert.equal(itinera('collect', '--sim', 'reach-v1', '--steps', '3000', '--seed', '4', '--episode-steps', '100', '--out', data).code, 0);
  const heldOut = join(root, 'held-out');
  assert.equal(itinera('collect', '--sim', 'reach-v1', '--steps', '300', '--seed', '900', '--episode-steps', '100', '--out', heldOut).code, 0);
  const config = join(root, 'tiny.yaml');
  writeFileSync(
    config,
    [
      'model: jepa',
      'network: { latent: 16, hidden: 64, layers: 1, readoutHidden: 32, activation: elu }',
      "readouts: [error.x, error.y, 'qvel.*']",
      'cost:',
      '  - { name: distance, channels: [error.x, error.y], norm: smooth-l2, weight: 1, p: 0.02 }',
      'training: { steps: 800, batch: 32, rolloutSteps: 10, learningRate: 0.003, checkpointEvery: 1000, logEvery: 100, readoutSteps: 300, readoutBatch: 128, readoutWindows: 1400 }',
    ].join('\n'),
  );
  const spearman: Record<string, number> = {};
  for (const [name, steps] of [['trained', undefined], ['untrained', '1']] as const) {
    const model = join(root, name);
    const t = itinera('train', '--data', data, '--config', config, '--out', model, '--backend', 'wasm', ...(steps ? ['--steps', steps, '--readout-steps', steps] : []));
    assert.equal(t.code, 0, t.stderr);
    const e = itinera('eval-model', '--model', model, '--data', heldOut, '--opt', 'samples=24', '--states', '8', '--spacing', '10', '--candidates', '24', '--max-steps', '100', '--json');
    assert.equal(e.code, 0, e.stderr);
    assert.match(e.stderr, /level 0 · state 8\/8 at step \d+: Spearman/, 'progress on stderr');
    const report = JSON.parse(e.stdout);
    assert.deepEqual(Object.keys(report.kStep), ['1', '5', '20'], 'k-step readout error on the held-out data');
    const [level] = report.levels;
    assert.equal(report.levels.length, 1);
    assert.equal(level.level, 0);
    assert.match(level.kStepSource, /held-out/);
    assert.match(level.reference, /simulator/);
    assert.equal(level.states.length, 8);
    for (const key of ['mean', 'p10', 'median', 'p90']) assert.ok(Number.isFinite(level.spearman[key]), key);
    spearman[name] = level.spearman.mean;
  }
  const text = itinera('eval-model', '--model', join(root, 'trained'), '--data', heldOut, '--opt', 'samples=8', '--states', '1', '--max-steps', '5');
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /k-step readout error[\s\S]*level 0 · [\s\S]*k-step error: above\n  vs simulator[^\n]*\n  Spearman mean /);
  assert.ok(spearman.trained > spearman.untrained + 0.2, `trained ${spearman.trained} vs untrained ${spearman.untrained}`);
  assert.ok(spearman.trained > 0.3, `trained ${spearman.trained}`);
});

test('eval-model on the shipped rover level-1 model: k-step error and ranking against waypoints followed on the simulator', () => {
  const e = itinera('eval-model', '--model', 'models/rover-level1', '--states', '1', '--candidates', '3', '--json');
  assert.equal(e.code, 0, e.stderr);
  const report = JSON.parse(e.stdout);
  assert.equal(report.scenario, 'commute-v1');
  assert.deepEqual(report.levels.map((l: { level: number }) => l.level), [1]);
  const [level] = report.levels;
  assert.match(level.model, /learned \(.*level1\.json\)/);
  assert.match(level.reference, /^simulator/);
  assert.deepEqual(Object.keys(level.kStep), ['1', '2'], 'one k per waypoint of a candidate');
  for (const k of ['1', '2']) for (const key of ['model', 'baseline']) assert.ok(level.kStep[k][key] >= 0, `${k} ${key}`);
  assert.equal(level.states[0].candidates, 3);
  assert.ok(Number.isFinite(level.spearman.mean));
  assert.equal(level.baseline.model, "stand-in 'kinematic'");
});

test('eval-model: bad input ends with one clear line', () => {
  const missing = itinera('eval-model', '--model', join(root, 'nothing'));
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^itinera: .*neither a trained world model .* nor a level-1 model/);
  assert.equal(missing.stderr.trim().split('\n').length, 1);
  const flat = itinera('eval-model', '--model', 'models/rover-level1', '--planner', 'rover-mppi');
  assert.equal(flat.code, 1);
  assert.match(flat.stderr, /^itinera: --planner rover-mppi has no level above control/);
});
