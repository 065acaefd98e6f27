// The level-1 step of a wheeled base in its own frame: what a learned level-1 model reads and predicts. Inputs and
// outputs are in the base's frame at the step's start, so a model learned in one room holds anywhere.
import type { Channels } from '@itinera/core';
import { basePose } from './base.js';

/** Planar state of the base: world pose and its velocity in the base frame. */
export interface PlanarState {
  x: number;
  y: number;
  yaw: number;
  /** Forward and leftward speed (m/s), yaw rate (rad/s), in the base frame. */
  forward: number;
  left: number;
  turn: number;
}

export const LEVEL1_INPUTS = ['waypoint.forward', 'waypoint.left', 'forward', 'left', 'turn'] as const;
export const LEVEL1_OUTPUTS = ['moved.forward', 'moved.left', 'turned.sin', 'turned.cos', 'forward', 'left', 'turn', 'time'] as const;

export function planarState(channels: Channels, observation: Float64Array): PlanarState {
  const s = channels.situation(observation, 0, 0);
  const { x, y, yaw } = basePose(s);
  const [c, n] = [Math.cos(yaw), Math.sin(yaw)];
  const [vx, vy] = [s.get('base.vx'), s.get('base.vy')];
  return { x, y, yaw, forward: c * vx + n * vy, left: -n * vx + c * vy, turn: s.get('base.wz') };
}

/** The model's input for following waypoint (wx, wy) from `state`. */
export function level1Input(state: PlanarState, wx: number, wy: number, out: Float64Array = new Float64Array(LEVEL1_INPUTS.length)): Float64Array {
  const [dx, dy] = [wx - state.x, wy - state.y];
  const [c, n] = [Math.cos(state.yaw), Math.sin(state.yaw)];
  out[0] = c * dx + n * dy;
  out[1] = -n * dx + c * dy;
  out[2] = state.forward;
  out[3] = state.left;
  out[4] = state.turn;
  return out;
}

/** What happened over the step, as the model predicts it: `after` seen from `before`, and the share of the step used. */
export function level1Target(before: PlanarState, after: PlanarState, timeShare: number): Float64Array {
  const [dx, dy] = [after.x - before.x, after.y - before.y];
  const [c, n] = [Math.cos(before.yaw), Math.sin(before.yaw)];
  const turned = after.yaw - before.yaw;
  return Float64Array.of(c * dx + n * dy, -n * dx + c * dy, Math.sin(turned), Math.cos(turned), after.forward, after.left, after.turn, timeShare);
}

/** The state after a step, from a prediction made in the base frame of `before`. */
export function applyLevel1(before: PlanarState, predicted: ArrayLike<number>): PlanarState {
  const [c, n] = [Math.cos(before.yaw), Math.sin(before.yaw)];
  return {
    x: before.x + c * predicted[0] - n * predicted[1],
    y: before.y + n * predicted[0] + c * predicted[1],
    yaw: before.yaw + Math.atan2(predicted[2], predicted[3]),
    forward: predicted[4],
    left: predicted[5],
    turn: predicted[6],
  };
}
