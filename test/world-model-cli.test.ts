import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readEpisodes, readManifest } from '@itinera/world-model';

const BIN = join(import.meta.dirname, '..', 'packages', 'cli', 'bin', 'itinera.js');
const root = mkdtempSync(join(tmpdir(), 'itinera-wm-cli-'));

function itinera(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 180_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('collect → train → eval-model → run --model: the learned model end to end through the CLI', () => {
  const data = join(root, 'data');
  const model = join(root, 'model');
  const c = itinera('collect', '--sim', 'reach-v1', '--steps', '1500', '--seed', '4', '--episode-steps', '100', '--out', data);
  assert.equal(c.code, 0, c.stderr);
  assert.match(c.stdout, /1500 steps in 15 episodes/);

  const config = join(root, 'tiny.yaml');
  writeFileSync(
    config,
    [
      'model: jepa',
      'network: { latent: 8, hidden: 32, layers: 1, readoutHidden: 16 }',
      "readouts: [error.x, error.y, 'qvel.*']",
      'cost:',
      '  - { name: distance, channels: [error.x, error.y], norm: smooth-l2, weight: 1, p: 0.02 }',
      '  - { name: effort, action: true, norm: quadratic, weight: 0.001 }',
      'training: { steps: 40, batch: 16, rolloutSteps: 3, checkpointEvery: 20, logEvery: 10, readoutSteps: 10, readoutBatch: 64, readoutWindows: 300 }',
    ].join('\n'),
  );
  const t = itinera('train', '--data', data, '--config', config, '--out', model, '--backend', 'wasm');
  assert.equal(t.code, 0, t.stderr);
  assert.match(t.stderr, /training jepa on wasm/);
  assert.match(t.stderr, /step \d+\/50 .* prediction .* readout/, 'progress shows the loss terms');
  for (const f of ['model.json', 'weights.bin', 'metrics.json', 'checkpoint.json']) assert.ok(existsSync(join(model, f)), f);
  const metrics = JSON.parse(readFileSync(join(model, 'metrics.json'), 'utf8'));
  assert.equal(metrics.steps, 50);
  assert.equal(metrics.worldSteps, 40);
  assert.ok(metrics.samplesPerSecond > 0);

  const again = itinera('train', '--data', data, '--config', config, '--out', model);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /^itinera: .*--resume/);

  const e = itinera('eval-model', '--model', model, '--data', data, '--json');
  assert.equal(e.code, 0, e.stderr);
  const evaluation = JSON.parse(e.stdout);
  assert.deepEqual(Object.keys(evaluation.kStep), ['1', '5', '20']);
  for (const k of ['1', '5', '20']) for (const key of ['model', 'anchored', 'constantState', 'constantVelocity']) assert.ok(Number.isFinite(evaluation.kStep[k][key]), `${k} ${key}`);
  assert.equal(evaluation.latent.std.length, 8);
  assert.ok(existsSync(join(model, 'eval.json')));

  const r = itinera('run', '--sim', 'reach-v1', '--planner', 'mppi', '--opt', 'samples=16', '--opt', 'horizon=10', '--model', model, '--backend', 'cpu', '--sim-opt', 'maxSteps=5', '--json');
  assert.equal(r.code, 0, r.stderr);
  const summary = JSON.parse(r.stdout);
  assert.equal(summary.model, model);
  assert.equal(summary.backend, 'cpu');
  assert.equal(summary.episodes[0].steps, 5);
  assert.equal(summary.episodes[0].failure, 'timeout');

  const g = itinera('run', '--sim', 'reach-v1', '--planner', 'gradient', '--opt', 'iterations=2', '--opt', 'starts=2', '--opt', 'horizon=8', '--model', model, '--sim-opt', 'maxSteps=3', '--json');
  assert.equal(g.code, 0, g.stderr);
  assert.equal(JSON.parse(g.stdout).episodes[0].steps, 3);
  assert.match(JSON.parse(g.stdout).backend, /^wasm/);

  const wrong = itinera('run', '--sim', 'reach-v1', '--model', model, '--sim-opt', 'distractors=3');
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /^itinera: --model .* does not fit this run: .*observation channels/);
  assert.equal(wrong.stderr.trim().split('\n').length, 1, 'one line, no stack');

  const missing = itinera('run', '--sim', 'reach-v1', '--model', join(root, 'nothing'));
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /no trained model here/);
});

test('sim runs still report model sim and backend none', () => {
  const r = itinera('run', '--sim', 'reach-v1', '--planner', 'zero', '--sim-opt', 'maxSteps=2', '--json');
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.equal(s.model, 'sim');
  assert.equal(s.backend, 'none');
});

test('collect --planner: whole episodes of a planner toward each seed\'s goal, recording the noisy actions it applied', () => {
  const actionsOf = (dir: string) => readEpisodes(dir).flatMap((e) => Array.from(e.actions));
  const noisy = join(root, 'mpc-noisy');
  const c = itinera('collect', '--sim', 'reach-v1', '--sim-opt', 'maxSteps=40', '--planner', 'zero', '--steps', '100', '--seed', '2', '--out', noisy);
  assert.equal(c.code, 0, c.stderr);
  const manifest = readManifest(noisy)!;
  // The zero planner never reaches the goal: three whole 40-step episodes cover the 100 steps asked for.
  assert.equal(manifest.steps, 120);
  assert.equal(manifest.chunks[0].policy, 'mpc (zero on sim, action noise ≤ 0.3)');
  const { low, high } = manifest.action;
  const applied = actionsOf(noisy);
  assert.ok(applied.some((a) => Math.abs(a) > 1e-3), 'the noise added to the planner\'s zeros is what the data records');
  assert.ok(applied.every((a, i) => a >= low[i % 2] && a <= high[i % 2]));

  const quiet = join(root, 'mpc-quiet');
  assert.equal(itinera('collect', '--sim', 'reach-v1', '--sim-opt', 'maxSteps=40', '--planner', 'zero', '--action-noise', '0', '--steps', '40', '--out', quiet).code, 0);
  assert.ok(actionsOf(quiet).every((a) => a === 0));

  const stray = itinera('collect', '--sim', 'reach-v1', '--steps', '10', '--model', 'sim', '--out', join(root, 'stray'));
  assert.equal(stray.code, 1);
  assert.match(stray.stderr, /^itinera: --model, --opt and --action-noise go with --planner/);
});
