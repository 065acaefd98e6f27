// Joins a multi-level planner (core's Planner.levels) to the episode loop: the triggers it declares become trigger
// streams here, where each replan is decided, and its own events (subgoal start/done/failed) join the stream.
import { Observable, tap, type MonoTypeOperatorFunction } from 'rxjs';
import type { EpisodeEvent, LevelTick, LevelTrigger, PlannerLevels } from '@itinera/core';
import type { SurpriseReading } from './surprise.js';
import { replanOnStall, replanOnSurprise, replanOnWaypointReached } from './level1-triggers.js';
import { replanOnSkill, replanOnWorldEvent } from './task-triggers.js';
import type { TriggerSource } from './types.js';

function triggerSource(trigger: LevelTrigger): TriggerSource {
  switch (trigger.on) {
    case 'task':
      return replanOnSkill((tick) => trigger.read(tick), trigger.level);
    case 'world-events':
      return replanOnWorldEvent((tick) => trigger.read(tick), trigger.level);
    case 'waypoint-reached':
      return replanOnWaypointReached((tick) => trigger.read(tick), trigger.level);
    case 'surprise':
      return replanOnSurprise((tick) => trigger.read(tick), { threshold: trigger.threshold, cooldown: trigger.cooldown, level: trigger.level });
    case 'stall':
      return replanOnStall((tick) => trigger.read(tick), { window: trigger.window, minProgress: trigger.minProgress, active: trigger.active && ((tick) => trigger.active!(tick)), level: trigger.level });
  }
}

/** The planner's triggers as trigger streams, in its order; it hears of each request before it is asked to plan. */
export function levelTriggers(levels: PlannerLevels): TriggerSource[] {
  return levels.triggers.map((trigger) => (tick$) => tick$.pipe(triggerSource(trigger), tap((t) => levels.noteReplan(t.level, t.reason))));
}

/** The levels' surprise readings (their 'surprise' triggers' values), for the recording. */
export function levelSurprises(levels: PlannerLevels): SurpriseReading[] {
  return levels.triggers.flatMap((trigger) => (trigger.on === 'surprise' ? [{ level: trigger.level, read: (tick: LevelTick) => trigger.read(tick) }] : []));
}

/** Merges events from outside the loop (a planner's subgoal events) into an episode's stream while it runs. */
export function withSideEvents(side$: Observable<EpisodeEvent>): MonoTypeOperatorFunction<EpisodeEvent> {
  return (episode) =>
    new Observable<EpisodeEvent>((subscriber) => {
      const side = side$.subscribe({ next: (event) => subscriber.next(event), error: (error) => subscriber.error(error) });
      const main = episode.subscribe(subscriber);
      return () => {
        side.unsubscribe();
        main.unsubscribe();
      };
    });
}

/** A planner's own events as a stream. */
export function plannerEvents(levels: PlannerLevels): Observable<EpisodeEvent> {
  return new Observable<EpisodeEvent>((subscriber) => levels.onEvent((event) => subscriber.next(event)));
}
