import { connect, map, merge, scan, startWith, type OperatorFunction } from 'rxjs';
import type { PlanChange, PlannedPolicy, PlanStatus, ReplanTrigger } from './types.js';

const IDLE: PlanStatus = { pending: 0 };

/** Counts plans requested and delivered, so the control loop knows when every plan it asked for has arrived. */
export function trackPlans(plan: OperatorFunction<ReplanTrigger, PlannedPolicy>): OperatorFunction<ReplanTrigger, PlanStatus> {
  return (trigger$) =>
    trigger$.pipe(
      connect((shared) =>
        merge(
          // Requests subscribe first, so a plan that completes synchronously is counted after its request.
          shared.pipe(map((trigger): PlanChange => ({ type: 'requested', trigger }))),
          shared.pipe(plan, map((planned): PlanChange => ({ type: 'planned', planned }))),
        ),
      ),
      scan(
        (status: PlanStatus, change: PlanChange): PlanStatus =>
          change.type === 'requested'
            ? { pending: status.pending + 1, latest: status.latest, change }
            : { pending: status.pending - 1, latest: change.planned, change },
        IDLE,
      ),
      startWith(IDLE),
    );
}
