// Structured distractors for reach-v1: bodies gliding across the arm's workspace and bouncing off its edges by their
// own dynamics, observed in the task's kinds of channels (a position, and the fingertip's offset from it, like the
// target and the error). The arm cannot move them, but they are predictable, so a model that rebuilds its inputs
// spends capacity on them. Positions are a closed form of time (billiard motion in a square), so snapshots stay plain data.
import type { Vec3 } from '@itinera/core';

/** Per mover: x, y, dx, dy (dx, dy: fingertip − mover). */
export const moverChannels = (count: number): string[] =>
  Array.from({ length: count }, (_, i) => [`mover.${i}.x`, `mover.${i}.y`, `mover.${i}.dx`, `mover.${i}.dy`]).flat();

/** Where mover `index` is at `time` inside its square (centre x, y and half side). */
export function moverPosition(seed: number, index: number, time: number, [cx, cy, halfSide]: readonly [number, number, number]): [number, number] {
  const draw = (k: number) => hash01(seed, index, k);
  const speed = 0.15 + 0.35 * draw(0);
  const heading = 2 * Math.PI * draw(1);
  const axis = (start: number, velocity: number) => {
    // Unfold the bounces: travel along a line of period 2·side, then fold it back into [0, side].
    const side = 2 * halfSide;
    const u = (((start + velocity * time) % (2 * side)) + 2 * side) % (2 * side);
    return (u <= side ? u : 2 * side - u) - halfSide;
  };
  return [cx + axis(draw(2) * 2 * halfSide, speed * Math.cos(heading)), cy + axis(draw(3) * 2 * halfSide, speed * Math.sin(heading))];
}

/** The fingertip's offset from every mover, beside the movers' positions, in moverChannels' order. */
export function observeMovers(seed: number, count: number, time: number, square: readonly [number, number, number], fingertip: Vec3): number[] {
  return Array.from({ length: count }, (_, i) => {
    const [x, y] = moverPosition(seed, i, time, square);
    return [x, y, fingertip[0] - x, fingertip[1] - y];
  }).flat();
}

/** Integer hash of (seed, mover, draw) to [0, 1). */
function hash01(seed: number, mover: number, draw: number): number {
  let h = Math.imul(seed ^ Math.imul(mover + 1, 0x27d4eb2f), 0x165667b1) ^ Math.imul(draw + 0x3c6ef372, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}
