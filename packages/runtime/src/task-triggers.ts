// Task-level replanning triggers: a skill succeeded, failed or ran out of time, or the world changed under the plan.
import { filter, map } from 'rxjs';
import { TASK_LEVEL } from '@itinera/core';
import type { Tick, TriggerSource } from './types.js';

/**
 * Replans when `signal` names what changed at the task level this tick ('skill-done', 'skill-failed',
 * 'skill-timeout', 'tree-done'…); the name is the trigger's reason.
 */
export function replanOnSkill(signal: (tick: Tick) => string | undefined, level = TASK_LEVEL): TriggerSource {
  return (tick$) =>
    tick$.pipe(
      map((tick) => ({ tick, reason: signal(tick) })),
      filter((t): t is { tick: Tick; reason: string } => t.reason !== undefined),
      map(({ tick, reason }) => ({ tick, level, reason })),
    );
}

/** Replans when world events happened since the last tick (a door closed, the taxi stopped); reason 'world-event:NAME,…'. */
export function replanOnWorldEvent(events: (tick: Tick) => readonly string[], level = TASK_LEVEL): TriggerSource {
  return (tick$) =>
    tick$.pipe(
      map((tick) => ({ tick, names: events(tick) })),
      filter(({ names }) => names.length > 0),
      map(({ tick, names }) => ({ tick, level, reason: `world-event:${names.join(',')}` })),
    );
}
