// Level-1 (waypoint) replanning triggers: the world surprised a model (the level-1 one, or level 0's), a waypoint was
// reached, or the robot stalled on its way.
import { defer, filter, map } from 'rxjs';
import { WAYPOINT_LEVEL } from '@itinera/core';
import type { Tick, TriggerSource } from './types.js';

/**
 * Replans when the surprise (the gap between the representation a model predicted and the one observed) exceeds
 * `threshold`, carrying its value; after firing it waits `cooldown` steps, so one disturbance gives one replan, not a
 * burst. It does not fire at ticks where `active` says no (a periodic plan comes anyway).
 */
export function replanOnSurprise(gap: (tick: Tick) => number, options: { threshold: number; cooldown?: number; level?: number; active?: (tick: Tick) => boolean }): TriggerSource {
  const { threshold, cooldown = 10, level = WAYPOINT_LEVEL, active = () => true } = options;
  if (!(threshold > 0)) throw new RangeError(`surprise threshold must be positive (got ${threshold})`);
  return (tick$) =>
    defer(() => {
      let last = -Infinity;
      return tick$.pipe(
        // Read at every tick, so a reading that keeps state (the previous step) sees them all.
        map((tick) => ({ tick, level, reason: 'surprise', surprise: gap(tick) })),
        filter((trigger) => {
          const { tick, surprise } = trigger;
          if (tick.step - last < cooldown || !active(tick) || !(surprise > threshold)) return false;
          last = tick.step;
          return true;
        }),
      );
    });
}

/** Replans when the robot reaches its current waypoint. */
export function replanOnWaypointReached(reached: (tick: Tick) => boolean, level = WAYPOINT_LEVEL): TriggerSource {
  return (tick$) =>
    tick$.pipe(
      filter(reached),
      map((tick) => ({ tick, level, reason: 'waypoint-reached' })),
    );
}

/**
 * Replans when, while `active`, the robot moved less than `minProgress` (m) over the last `window` simulated
 * seconds; the window then starts afresh.
 */
export function replanOnStall(
  position: (tick: Tick) => readonly number[] | undefined,
  options: { window: number; minProgress: number; active?: (tick: Tick) => boolean; level?: number },
): TriggerSource {
  const { window, minProgress, active = () => true, level = WAYPOINT_LEVEL } = options;
  return (tick$) =>
    defer(() => {
      let trail: Array<{ time: number; p: readonly number[] }> = [];
      return tick$.pipe(
        filter((tick) => {
          const p = position(tick);
          if (!p || !active(tick)) {
            trail = [];
            return false;
          }
          trail.push({ time: tick.time, p });
          while (trail.length > 2 && trail[1].time <= tick.time - window) trail.shift();
          if (tick.time - trail[0].time < window - 1e-9) return false;
          const moved = Math.hypot(...p.map((v, i) => v - trail[0].p[i]));
          if (moved >= minProgress) return false;
          trail = [];
          return true;
        }),
        map((tick) => ({ tick, level, reason: 'stall' })),
      );
    });
}
