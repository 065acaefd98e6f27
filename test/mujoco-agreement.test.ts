// Itinera's physics against MuJoCo on cases both describe from one MJCF file: a 2-link pendulum under a fixed torque
// profile, and the same pendulum on servos (position actuators) following a target profile. The references
// (test/fixtures/mujoco/*-mujoco.csv) were made by reference.c there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initPhysics, PhysicsWorld } from '@itinera/physics';
import { loadMjcfFile } from '@itinera/robots';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'mujoco');
/** How far (rad) either joint may drift from MuJoCo's trajectory over the first second. */
const TOLERANCE = 0.05;

/** Must match torques() and targets() in reference.c. */
function torques(t: number): number[] {
  return [2 * Math.sin(2 * Math.PI * t), 0.5 * Math.cos(3 * Math.PI * t)];
}

function targets(t: number): number[] {
  return [0.8 * Math.sin(2 * Math.PI * t), -0.5 + 0.6 * Math.cos(3 * Math.PI * t)];
}

/** Continuous joints report angles in (−π, π]; MuJoCo's keep counting turns. */
function angleBetween(a: number, b: number): number {
  const d = (((a - b) % (2 * Math.PI)) + 3 * Math.PI) % (2 * Math.PI) - Math.PI;
  return Math.abs(d);
}

/** Largest joint angle difference (rad) from MuJoCo's trajectory over 1 s, commands held 5 ms over `substeps` physics steps. */
function worstDifference(model: string, commands: (t: number) => number[], substeps = 1): { worst: number; finalQ1: number } {
  const reference = readFileSync(join(FIXTURES, `${model}-mujoco.csv`), 'utf8').trim().split('\n').slice(1).map((line) => line.split(',').map(Number));
  // The file's own 0.5 ms timestep left out: this measures Itinera's step, 5 ms / substeps.
  const { robot: { physics, ...robot } } = loadMjcfFile(join(FIXTURES, `${model}.xml`));
  assert.deepEqual(physics, { gravity: [0, 0, -9.81], timestep: 0.0005 });
  const world = PhysicsWorld.create(robot, { ground: false, bodies: [], regions: [] }, { physicsDt: 1 / (200 * substeps), substeps });
  try {
    let worst = 0;
    for (let k = 0; k <= 200; k++) {
      if (k % 2 === 0) {
        const [t, q1, q2] = reference[k / 2];
        const q = world.jointPositions();
        assert.ok(Math.abs(t - k / 200) < 1e-9);
        worst = Math.max(worst, angleBetween(q[0], q1), angleBetween(q[1], q2));
      }
      world.applyActuators(commands(k / 200));
      world.step();
    }
    return { worst, finalQ1: reference.at(-1)![1] };
  } finally {
    world.free();
  }
}

test('a 2-link pendulum read from MJCF stays within 0.05 rad of MuJoCo for 1 s', async () => {
  await initPhysics();
  const { worst, finalQ1 } = worstDifference('pendulum2', torques);
  // The pendulum swings through more than 2.5 rad, so a wrong sign or frame could not pass.
  assert.ok(Math.abs(finalQ1) > 2.5);
  assert.ok(worst < TOLERANCE, `largest joint angle difference from MuJoCo ${worst.toFixed(4)} rad`);
  console.log(`largest joint angle difference from MuJoCo: ${worst.toFixed(4)} rad`);
});

test('the pendulum on MJCF servos (position and affine general actuators) follows its targets as in MuJoCo', async () => {
  await initPhysics();
  const { robot } = loadMjcfFile(join(FIXTURES, 'pendulum2-servo.xml'));
  assert.deepEqual(robot.actuators.map((a) => a.servo), [
    { kind: 'position', kp: 40, kv: 4, range: [-1.5, 1.5] },
    { kind: 'position', kp: 10, kv: 0, range: [-1.5, 1.5] },
  ]);
  // Rapier solves the PD law once per physics step (MuJoCo's RK4 at 0.5 ms): the undamped elbow servo drifts 0.087 rad
  // in phase at the default 1/200 s, so this compares at 1/1000 s (0.0044 rad at 1/5000 s: it converges to MuJoCo).
  const { worst } = worstDifference('pendulum2-servo', targets, 5);
  assert.ok(worst < TOLERANCE, `largest joint angle difference from MuJoCo ${worst.toFixed(4)} rad`);
  console.log(`servos: largest joint angle difference from MuJoCo at 1/1000 s: ${worst.toFixed(4)} rad`);
});
