// Itinera's physics against MuJoCo on a case both describe from one MJCF file: a 2-link pendulum under a fixed
// torque profile. The reference (test/fixtures/mujoco/pendulum2-mujoco.csv) was made by reference.c there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initPhysics, PhysicsWorld } from '@itinera/physics';
import { loadMjcfFile } from '@itinera/robots';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'mujoco');
/** How far (rad) either joint may drift from MuJoCo's trajectory over the first second. */
const TOLERANCE = 0.05;

/** Must match torques() in reference.c. */
function torques(t: number): number[] {
  return [2 * Math.sin(2 * Math.PI * t), 0.5 * Math.cos(3 * Math.PI * t)];
}

/** Continuous joints report angles in (−π, π]; MuJoCo's keep counting turns. */
function angleBetween(a: number, b: number): number {
  const d = (((a - b) % (2 * Math.PI)) + 3 * Math.PI) % (2 * Math.PI) - Math.PI;
  return Math.abs(d);
}

test('a 2-link pendulum read from MJCF stays within 0.05 rad of MuJoCo for 1 s', async () => {
  await initPhysics();
  const reference = readFileSync(join(FIXTURES, 'pendulum2-mujoco.csv'), 'utf8').trim().split('\n').slice(1).map((line) => line.split(',').map(Number));
  const { robot } = loadMjcfFile(join(FIXTURES, 'pendulum2.xml'));
  const world = PhysicsWorld.create(robot, { ground: false, bodies: [], regions: [] }, { physicsDt: 1 / 200, substeps: 1 });
  try {
    let worst = 0;
    for (let k = 0; k <= 200; k++) {
      if (k % 2 === 0) {
        const [t, q1, q2] = reference[k / 2];
        const q = world.jointPositions();
        assert.ok(Math.abs(t - k / 200) < 1e-9);
        worst = Math.max(worst, angleBetween(q[0], q1), angleBetween(q[1], q2));
      }
      world.applyActuators(torques(k / 200));
      world.step();
    }
    // The pendulum swings through more than 2.5 rad, so a wrong sign or frame could not pass.
    assert.ok(Math.abs(reference.at(-1)![1]) > 2.5);
    assert.ok(worst < TOLERANCE, `largest joint angle difference from MuJoCo ${worst.toFixed(4)} rad`);
    console.log(`largest joint angle difference from MuJoCo: ${worst.toFixed(4)} rad`);
  } finally {
    world.free();
  }
});
