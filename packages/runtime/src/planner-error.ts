import type { Tick } from './types.js';

/** A planner, or a policy it handed out, failed at `tick`; the episode ends with failure 'planner-error'. */
export class PlannerError extends Error {
  constructor(
    cause: unknown,
    readonly tick: Tick,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'PlannerError';
  }
}
