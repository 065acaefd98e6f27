// Level 1: a model of what happens when the level-0 controller follows a waypoint for a while. It is a
// DynamicsModel whose actions are waypoints, so the same sampling optimisers and a learned level-1 model (trained
// on trajectories the level-0 controller produced) plug in unchanged.
import type { DynamicsModel, EnvSnapshot } from '@itinera/core';
import type { Subgoal } from './situation.js';

/** Where a level-1 rollout starts: the observation (a learned model encodes it) and the subgoal its cost reads. */
export interface WaypointStart {
  readonly observation: Float64Array;
  readonly subgoal: Subgoal;
  /** The simulator's state, for a level-1 model that rolls the simulator forward. */
  readonly snapshot?: EnvSnapshot;
}

/**
 * One rollout step follows one waypoint (world x-y, the 2 action values) for `stepSeconds` or until reached;
 * costs are charged per waypoint. `represent` and `predict` give the level-1 representation of an observation
 * and the one expected after following waypoints for some seconds: their distance is the surprise.
 */
export interface WaypointModel extends DynamicsModel<WaypointStart> {
  readonly stepSeconds: number;
  represent(observation: Float64Array): Float64Array;
  predict(start: WaypointStart, waypoints: Float64Array, seconds: number): Float64Array;
}

/** Distance between two level-1 representations: the surprise a level-1 trigger compares with its threshold. */
export function representationGap(a: Float64Array, b: Float64Array): number {
  let sq = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) sq += (a[i] - b[i]) ** 2;
  return Math.sqrt(sq);
}
