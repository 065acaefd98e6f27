// What stand-v1 and goto-v1 share: options for the legged robot, its measured standing state, falls and residuals.
import type { RobotSpec, TaskStatus, WorldView } from '@itinera/core';
import { z } from 'zod';
import { findFeet } from './feet.js';

export const leggedOptions = {
  feet: z.array(z.string()).optional().describe('Links that are the feet; absent: detected (the distal link with a collision shape at the end of each longest chain from the base).'),
  pose: z.record(z.string(), z.number()).optional().describe("Rest pose the robot settles in at reset, joint → rad; a key may be a suffix several joints share ('thigh_joint'); absent joints keep the robot's initial positions."),
  settleSeconds: z.number().positive().default(1.5).describe('Seconds the robot is held at its rest pose to settle before the episode; its height then is the nominal standing height.'),
  maxTilt: z.number().positive().max(90).default(40).describe('Largest tilt of the base from upright before it counts as tipped over, degrees.'),
  minHeight: z.number().positive().max(1).default(0.5).describe('Lowest base height, as a share of the nominal standing height, before it counts as fallen.'),
  // core's Task.settle.hold: robots with real torque limits sag and fall under torque sampling alone.
  hold: z
    .number()
    .min(0)
    .default(0)
    .describe("Stance hold: joint error (rad) at which a joint's hold toward the rest pose spends its actuator's full torque; the planner's torque adds to it within the limit. 0: no hold."),
};

/** What Task.settle says for these options. */
export const settleFor = (options: { settleSeconds: number; pose?: Record<string, number>; hold: number }) => ({
  seconds: options.settleSeconds,
  ...(options.pose && { pose: options.pose }),
  ...(options.hold > 0 && { hold: options.hold }),
});

/** Measured at reset, after settling: plain data, copied with env snapshots. */
export interface Standing {
  /** Base height standing at rest (m). */
  nominalHeight: number;
  /** Joint positions standing at rest. */
  rest: number[];
}

export function measureStanding(view: WorldView): Standing {
  return { nominalHeight: view.basePosition()[2], rest: Array.from(view.jointPositions()) };
}

/** z component of the base's up axis (1 when level). */
export function upZ(view: WorldView): number {
  const [x, y] = view.baseQuaternion();
  return 1 - 2 * (x * x + y * y);
}

/** 'tipped-over' or 'fell' (with why) once the base leaves the standing envelope; undefined while it stands. */
export function fallen(view: WorldView, s: Standing, options: { maxTilt: number; minHeight: number }): TaskStatus | undefined {
  const tilt = (Math.acos(Math.max(-1, Math.min(1, upZ(view)))) * 180) / Math.PI;
  if (tilt > options.maxTilt) return { success: false, failure: 'tipped-over' };
  if (view.basePosition()[2] < options.minHeight * s.nominalHeight) return { success: false, failure: 'fell' };
  return undefined;
}

/** Height, upright and posture residuals: stand as at rest. */
export function standingResiduals(view: WorldView, s: Standing): { height: number[]; upright: number[]; posture: Float64Array } {
  const q = view.jointPositions();
  for (let i = 0; i < q.length; i++) q[i] -= s.rest[i];
  return { height: [view.basePosition()[2] - s.nominalHeight], upright: [1 - upZ(view)], posture: q };
}

/** The feet and their observation channels (1 while a foot touches something). */
export function feetSetup(robot: RobotSpec, named: readonly string[] | undefined): { feet: string[]; names: string[] } {
  const feet = findFeet(robot, named);
  return { feet, names: feet.map((f) => `contact.${f}`) };
}

export const contacts = (view: WorldView, feet: readonly string[]): number[] => feet.map((f) => (view.linkInContact(f) ? 1 : 0));
