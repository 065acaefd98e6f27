import { asapScheduler, catchError, EMPTY, identity, ignoreElements, merge, Observable, observeOn, of, share, shareReplay, startWith, Subject, tap, throwError } from 'rxjs';
import type { Env, EpisodeEvent, Planner } from '@itinera/core';
import { failureFields } from './failure.js';
import { mergeTriggers } from './merge-triggers.js';
import { planEvents } from './plan-events.js';
import { planFromSnapshot } from './plan-from-snapshot.js';
import { planOnTriggers } from './plan-on-triggers.js';
import { PlannerError } from './planner-error.js';
import { replanAtStart } from './replan-at-start.js';
import { replanEvery } from './replan-every.js';
import { sampleLatestPolicy } from './sample-latest-policy.js';
import { stepEnv } from './step-env.js';
import { stepEvents } from './step-events.js';
import { surpriseEvents, type SurpriseReading } from './surprise.js';
import { trackPlans } from './track-plans.js';
import type { Tick, TriggerSource } from './types.js';
import { sceneEvents, withViewerData } from './viewer-data.js';

export interface EpisodeOptions {
  seed: number;
  /** Replan every this many control steps (1: receding horizon at control rate). */
  replanEvery?: number;
  /** Names written in the reset event. */
  labels?: { planner: string };
  /** More trigger streams (surprise, subgoal done, world events), merged after 'start' and 'periodic'. */
  triggers?: TriggerSource[];
  /** Share of a step's cost at which a guardrail term is reported (see guardrailCrossings). */
  guardrailShare?: number;
  /** Also record what a replay viewer draws: a scene event after reset, each tick's frame and cost terms, each plan's predicted path. */
  viewerData?: boolean;
  /** Each level's surprise, recorded per step with the viewer data (the triggers that replan on it come apart). */
  surprises?: SurpriseReading[];
  /** Sees each control step (the tick before it, the tick it led to) before anything plans on it: online model learning. */
  onTransition?: (previous: Tick, tick: Tick) => void;
  /** Each plan's factor on a sampling planner's exploration noise (PlanRequest.exploration): online adaptation's. */
  exploration?: () => number;
}

/**
 * One episode as a stream of events, in simulated time: ticks drive the control loop, triggers drive the planner,
 * and each tick acts with the latest policy once the plans it asked for have arrived. Cold: each subscription
 * resets the env and the planner and runs a new episode.
 */
export function episode$(env: Env, planner: Planner, options: EpisodeOptions): Observable<EpisodeEvent> {
  const { seed, triggers = [], guardrailShare, viewerData = false, surprises = [] } = options;
  const periodic = replanEvery(options.replanEvery ?? 1);
  return new Observable<EpisodeEvent>((subscriber) => {
    planner.reset(seed);
    const reset = env.reset({ seed });
    const feedback = new Subject<Tick>();
    let previous: Tick | undefined;
    const learn = (tick: Tick) => {
      if (previous && tick.action) options.onTransition?.(previous, tick);
      previous = tick;
    };
    // Each tick starts in its own microtask (asap, not a timer): long episodes never deepen the stack and never wait on the wall clock.
    const tick$ = feedback.pipe(observeOn(asapScheduler), options.onTransition ? tap(learn) : identity, share());
    const status$ = tick$.pipe(
      mergeTriggers(replanAtStart(), periodic, ...triggers),
      trackPlans(planOnTriggers((trigger) => planFromSnapshot(env, planner, trigger, options.exploration))),
      shareReplay({ bufferSize: 1, refCount: true }),
    );
    const outcome$ = tick$.pipe(sampleLatestPolicy(status$), stepEnv(env), viewerData ? withViewerData(env) : identity, share());
    const resetEvent: EpisodeEvent = { type: 'reset', t: reset.info.time, step: reset.info.step, scenario: env.id, robot: env.robotName, planner: options.labels?.planner ?? planner.name, seed };
    const startEvents = viewerData ? [resetEvent, ...sceneEvents(env, reset)] : [resetEvent];
    const subscription = merge(
      // Planning subscribes to the ticks before the control loop, so a tick's triggers are counted before it acts.
      status$.pipe(planEvents(viewerData)),
      // After the triggers, which read each surprise first, and before the step acts.
      viewerData && surprises.length > 0 ? tick$.pipe(surpriseEvents(surprises)) : EMPTY,
      outcome$.pipe(stepEvents(guardrailShare)),
      outcome$.pipe(
        tap((outcome) => (outcome.next ? feedback.next(outcome.next) : feedback.complete())),
        ignoreElements(),
      ),
    )
      .pipe(
        startWith(...startEvents),
        catchError((error: unknown) => (error instanceof PlannerError ? of(plannerFailed(error)) : throwError(() => error))),
      )
      .subscribe(subscriber);
    feedback.next({ step: reset.info.step, time: reset.info.time, observation: reset.observation });
    return subscription;
  });
}

function plannerFailed({ tick, message }: PlannerError): EpisodeEvent {
  return { type: 'done', t: tick.time, step: tick.step, success: false, ...failureFields('planner-error', message), terminated: true, truncated: false };
}
