import { connect, merge, type OperatorFunction } from 'rxjs';
import type { ReplanTrigger, Tick, TriggerSource } from './types.js';

/** Runs every trigger source on the same ticks; triggers raised at one tick come out in the order of `sources`. */
export function mergeTriggers(...sources: TriggerSource[]): OperatorFunction<Tick, ReplanTrigger> {
  // connect, not share: every source is subscribed before the first tick goes through.
  return connect((tick$) => merge(...sources.map((source) => tick$.pipe(source))));
}
