// reach-v1's structured distractor (movers): bodies bouncing across the workspace by their own dynamics, observed in
// the task's kinds of channels, untouched by the arm, replayed exactly after a snapshot, and off by default.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createEnv } from '@itinera/physics';
import { loadBuiltinRobot } from '@itinera/robots';
import { reach, reachOptionsSchema } from '@itinera/sim-reach';

const robot = loadBuiltinRobot('reacher');
const options = (o: Record<string, unknown> = {}) => reachOptionsSchema.parse(o) as Record<string, unknown>;

test('movers: 4 channels each that bounce inside the workspace whatever the arm does, and replay after a snapshot', async () => {
  const env = await createEnv(reach, robot, { scenarioOptions: options({ movers: 2, distractors: 1 }) });
  const plain = await createEnv(reach, robot, { scenarioOptions: options() });
  try {
    const names = env.observationSpec.names;
    assert.deepEqual(names.slice(-9), ['distractor.0', 'mover.0.x', 'mover.0.y', 'mover.0.dx', 'mover.0.dy', 'mover.1.x', 'mover.1.y', 'mover.1.dx', 'mover.1.dy']);
    const at = (o: ArrayLike<number>, name: string) => o[names.indexOf(name)];
    const run = (action: number[]) => {
      env.reset({ seed: 7 });
      return Array.from({ length: 150 }, () => Array.from(env.step(action).observation));
    };
    const still = run([0, 0]);
    const swinging = run([0.8, -0.6]);
    const square = (env.inner.state as { movers: { square: [number, number, number] } }).movers.square;
    for (const name of ['mover.0.x', 'mover.0.y', 'mover.1.x', 'mover.1.y']) {
      assert.deepEqual(swinging.map((o) => at(o, name)), still.map((o) => at(o, name)), `${name} does not depend on the arm`);
      const centre = name.endsWith('x') ? square[0] : square[1];
      assert.ok(still.every((o) => Math.abs(at(o, name) - centre) <= square[2] + 1e-9), `${name} stays in its square`);
      assert.ok(new Set(still.map((o) => at(o, name).toFixed(4))).size > 100, `${name} moves`);
    }
    // 3 s at 0.15–0.5 m/s in a square a reach wide: some axis has bounced (its velocity changed sign).
    const velocity = (name: string) => still.slice(1).map((o, i) => at(o, name) - at(still[i], name));
    assert.ok(['mover.0.x', 'mover.0.y', 'mover.1.x', 'mover.1.y'].some((n) => new Set(velocity(n).map(Math.sign)).size > 1), 'a mover bounced');
    // dx, dy: the fingertip's offset from the mover, like error = fingertip − target.
    const last = swinging.at(-1)!;
    const tip = env.inner.world.endEffectorPosition();
    assert.ok(Math.abs(at(last, 'mover.1.dx') - (tip[0] - at(last, 'mover.1.x'))) < 1e-9);
    assert.ok(Math.abs(at(last, 'mover.1.dy') - (tip[1] - at(last, 'mover.1.y'))) < 1e-9);

    env.reset({ seed: 7 });
    for (let i = 0; i < 20; i++) env.step([0.3, 0.1]);
    const snapshot = env.snapshot();
    const a = Array.from({ length: 10 }, () => Array.from(env.step([0.3, 0.1]).observation));
    env.restore(snapshot);
    assert.deepEqual(Array.from({ length: 10 }, () => Array.from(env.step([0.3, 0.1]).observation)), a, 'restoring the snapshot replays the movers');
    // Off by default, and turning them on leaves the seed's target where it was.
    assert.equal(plain.observationSpec.names.some((n) => n.startsWith('mover.')), false);
    assert.deepEqual(Array.from(plain.reset({ seed: 7 }).observation.slice(0, 3)), Array.from(env.reset({ seed: 7 }).observation.slice(0, 3)));
  } finally {
    env.free();
    plain.free();
  }
});

test('describe lists the movers option', () => {
  const r = spawnSync(process.execPath, [join(import.meta.dirname, '..', 'packages', 'cli', 'bin', 'itinera.js'), 'describe', 'sim', 'reach-v1'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /movers\s+integer\s+0\s+\[0, 64\]\s+Structured distractors/);
});
