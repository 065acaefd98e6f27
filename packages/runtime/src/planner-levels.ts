// Joins a multi-level planner to the episode loop: its reports become the level-1 and task-level trigger streams,
// and its own events (subgoal start/done/failed) join the episode's stream. Structural, so the runtime needs no
// planner package: @itinera/hierarchy's HierarchicalPlanner fits it.
import { Observable, tap, type MonoTypeOperatorFunction } from 'rxjs';
import type { EpisodeEvent, Planner } from '@itinera/core';
import { replanOnStall, replanOnSurprise, replanOnWaypointReached } from './level1-triggers.js';
import { replanOnSkill, replanOnWorldEvent } from './task-triggers.js';
import type { Tick, TriggerSource } from './types.js';

/** What a multi-level planner reports about one tick (see HierarchicalPlanner.watch). */
export interface LevelSignals {
  task?: string;
  worldEvents: readonly string[];
  surprise: number;
  waypointReached: boolean;
  position?: readonly number[];
}

export interface LeveledPlanner extends Planner {
  readonly config: { surpriseThreshold: number; stallSeconds: number; stallDistance: number };
  /** Brings the planner's upper levels up to this tick; the same report for repeated calls at one step. */
  watch(tick: Tick): LevelSignals;
  /** Told of every replan the triggers request, so its next plan replans the right levels. */
  noteReplan(level: number, reason: string): void;
  onEvent(listener: (event: EpisodeEvent) => void): () => void;
  readonly currentWaypoints?: Float64Array;
}

export function isLeveledPlanner(planner: Planner): planner is LeveledPlanner {
  const p = planner as Partial<LeveledPlanner>;
  return typeof p.watch === 'function' && typeof p.noteReplan === 'function' && typeof p.onEvent === 'function';
}

/** The task-level triggers first (they advance the planner to the tick), then the level-1 ones. */
export function levelTriggers(planner: LeveledPlanner): TriggerSource[] {
  const report = (tick: Tick) => planner.watch(tick);
  const { surpriseThreshold, stallSeconds, stallDistance } = planner.config;
  const sources = [
    replanOnSkill((tick) => report(tick).task),
    replanOnWorldEvent((tick) => report(tick).worldEvents),
    replanOnWaypointReached((tick) => report(tick).waypointReached),
    replanOnSurprise((tick) => report(tick).surprise, { threshold: surpriseThreshold }),
    replanOnStall((tick) => report(tick).position, { window: stallSeconds, minProgress: stallDistance, active: () => planner.currentWaypoints !== undefined }),
  ];
  // The planner hears of each request before it is asked to plan.
  return sources.map((source) => (tick$) => tick$.pipe(source, tap((trigger) => planner.noteReplan(trigger.level, trigger.reason))));
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
export function plannerEvents(planner: LeveledPlanner): Observable<EpisodeEvent> {
  return new Observable<EpisodeEvent>((subscriber) => planner.onEvent((event) => subscriber.next(event)));
}
