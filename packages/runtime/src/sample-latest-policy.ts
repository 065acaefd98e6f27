import { concatMap, first, map, type Observable, type OperatorFunction } from 'rxjs';
import type { PlannedPolicy, PlanStatus, Tick } from './types.js';

export interface PolicyAtTick {
  tick: Tick;
  planned: PlannedPolicy;
}

/**
 * Pairs each tick with the latest policy, once every plan requested so far has arrived: the plan asked for at
 * tick k is the one acted on at tick k. `status$` must replay its current value (shareReplay(1)).
 */
export function sampleLatestPolicy(status$: Observable<PlanStatus>): OperatorFunction<Tick, PolicyAtTick> {
  // concatMap: ticks act one at a time, in order.
  return concatMap((tick) =>
    status$.pipe(
      first((status) => status.pending === 0),
      map((status) => {
        if (!status.latest) throw new Error(`no policy at step ${tick.step}: no replan trigger fired before the first action`);
        return { tick, planned: status.latest };
      }),
    ),
  );
}
