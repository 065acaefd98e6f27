// The level above parameterises the cost of the level below through plain data in the planning copy's task state:
// a hierarchical planner rewrites the snapshot it hands the low-level planner, never the live env.
import { ItineraError, type EnvSnapshot } from '@itinera/core';
import { SUBGOAL_KEY } from './scripted-actors.js';

interface TaskStateSnapshot extends EnvSnapshot {
  readonly taskState: unknown;
}

/**
 * A copy of `snapshot` whose task state carries `subgoal` (undefined removes it). Understands the physics env's
 * snapshots and wrappers that keep the inner snapshot under `inner` (an env that also records the observation).
 */
export function withTaskSubgoal(snapshot: EnvSnapshot, subgoal: unknown): EnvSnapshot {
  if (snapshot.kind === 'physics-env') {
    const s = snapshot as TaskStateSnapshot;
    const state = typeof s.taskState === 'object' && s.taskState !== null ? s.taskState : {};
    return { ...s, taskState: { ...state, [SUBGOAL_KEY]: subgoal } } as EnvSnapshot;
  }
  const inner = (snapshot as EnvSnapshot & { inner?: EnvSnapshot }).inner;
  if (inner) return { ...snapshot, inner: withTaskSubgoal(inner, subgoal), [SUBGOAL_KEY]: subgoal } as EnvSnapshot;
  throw new ItineraError(`cannot give a subgoal to a '${snapshot.kind}' snapshot`);
}
