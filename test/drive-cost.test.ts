import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Vec3, WorldView } from '@itinera/core';
import { loadBuiltinRobot } from '@itinera/robots';
import { driveResiduals } from '@itinera/rover';

/** The rover's base at rest at the origin, pitched nose-down by `pitch` (rad); the arm at joint index 0. */
function pitchedRover(pitch: number): WorldView {
  const q: [number, number, number, number] = [0, Math.sin(pitch / 2), 0, Math.cos(pitch / 2)];
  const zero: Vec3 = [0, 0, 0];
  return {
    robot: loadBuiltinRobot('rover'),
    time: 0,
    pointPosition: () => zero,
    endEffectorPosition: () => zero,
    jointPositions: () => new Float64Array(1),
    jointVelocities: () => new Float64Array(1),
    basePosition: () => [0, 0, 0.16],
    baseQuaternion: () => q,
    baseVelocity: () => zero,
    linkInContact: () => false,
    bodyPosition: () => zero,
  };
}

test('the drive cost charges a base tipped onto its paddle or a wall, not one driving down a 1:6 ramp', () => {
  const tilt = (pitch: number) => (driveResiduals(pitchedRover(pitch), { target: [2, 0] }, 0).tilt as number[])[0];
  assert.equal(tilt(0), 0);
  assert.equal(tilt(Math.atan2(1, 6)), 0);
  assert.ok(Math.abs(tilt(0.7) - 0.4) < 1e-9, `tilt charged ${tilt(0.7)} at 0.7 rad`);
  assert.ok(Math.abs(tilt(-0.7) - 0.4) < 1e-9, 'tipping backwards counts too');
});
