// `--realtime` (asynchronous planning, as MuJoCo MPC's agent does): the episode advances one control step per control
// dt of wall-clock time, acting on the latest finished plan while the next one is computed off the main thread. Not
// deterministic: which plan acts at which step depends on how fast plans finish. The default episode$ stays lockstep.
import { identity, Observable, Subject } from 'rxjs';
import type { Env, EpisodeEvent, Planner } from '@itinera/core';
import { failureFields } from './failure.js';
import { PlannerError } from './planner-error.js';
import type { StepOutcome } from './step-env.js';
import { stepEvents } from './step-events.js';
import type { PlannedPolicy, ReplanTrigger, Tick } from './types.js';
import { sceneEvents, withViewerData } from './viewer-data.js';

export interface RealtimeOptions {
  seed: number;
  labels?: { planner: string };
  guardrailShare?: number;
  viewerData?: boolean;
  /** Wall-clock milliseconds (tests pass their own). */
  clock?: () => number;
}

/** Events like episode$'s (reset, replan, plan, tick, guardrail, done); a new plan starts as soon as the last one finished. */
export function realtimeEpisode$(env: Env, planner: Planner, options: RealtimeOptions): Observable<EpisodeEvent> {
  const { seed, viewerData = false, clock = () => performance.now() } = options;
  return new Observable<EpisodeEvent>((subscriber) => {
    let stopped = false;
    const emit = (event: EpisodeEvent) => subscriber.next(event);
    const outcomes = new Subject<StepOutcome>();
    const steps = outcomes.pipe(viewerData ? withViewerData(env) : identity, stepEvents(options.guardrailShare)).subscribe(emit);

    /** Starts a plan from `tick`'s state; resolves with the policy and its wall-clock time. */
    const plan = (tick: Tick, reason: string): Promise<PlannedPolicy> => {
      const trigger: ReplanTrigger = { tick, level: 0, reason };
      emit({ type: 'replan', t: tick.time, step: tick.step, level: 0, reason });
      const started = clock();
      const request = { observation: Float64Array.from(tick.observation), time: tick.time, step: tick.step, snapshot: env.snapshot() };
      return Promise.resolve()
        .then(() => planner.plan(request))
        .then(
          (policy) => {
            const planned = { trigger, policy, ms: clock() - started };
            const predicted = viewerData ? policy.predictedPath?.() : undefined;
            emit({ type: 'plan', t: tick.time, step: tick.step, level: 0, ms: planned.ms, ...(predicted && { predicted }) });
            return planned;
          },
          (error: unknown) => Promise.reject(new PlannerError(error, tick)),
        );
    };

    const run = async (): Promise<void> => {
      planner.reset(seed);
      const reset = env.reset({ seed });
      emit({ type: 'reset', t: reset.info.time, step: reset.info.step, scenario: env.id, robot: env.robotName, planner: options.labels?.planner ?? planner.name, seed });
      if (viewerData) sceneEvents(env, reset).forEach(emit);
      let tick: Tick = { step: reset.info.step, time: reset.info.time, observation: reset.observation };
      // The first action needs a plan: wait for it; from then on the clock runs.
      let latest = await plan(tick, 'start');
      let inFlight: Promise<void> | undefined;
      let failure: PlannerError | undefined;
      const dtMs = env.controlDt * 1000;
      const started = clock();
      try {
        for (let k = 0; !stopped; k++) {
          if (failure) throw failure;
          inFlight ??= plan(tick, 'realtime').then(
            (planned) => void (latest = planned),
            (error: PlannerError) => void (failure = error),
          ).finally(() => (inFlight = undefined));
          let action: Float64Array;
          try {
            action = latest.policy.action(tick.time, tick.observation);
          } catch (error) {
            throw new PlannerError(error, tick);
          }
          const result = env.step(action);
          const ended = result.terminated || result.truncated;
          const applied = result.info.appliedAction ? Float64Array.from(result.info.appliedAction) : action;
          const next = ended ? undefined : { step: result.info.step, time: result.info.time, observation: result.observation, action: applied };
          outcomes.next({ tick, action, result, next });
          if (!next) return;
          tick = next;
          // Behind schedule, still yield once, so a finished plan's message is taken.
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + (k + 1) * dtMs - clock())));
        }
      } finally {
        // The planner is reset or disposed next: never while a plan of it is still running.
        await inFlight;
      }
    };

    run().then(
      () => (steps.unsubscribe(), subscriber.complete()),
      (error: unknown) => {
        steps.unsubscribe();
        if (!(error instanceof PlannerError)) return subscriber.error(error);
        const { tick, message } = error;
        subscriber.next({ type: 'done', t: tick.time, step: tick.step, success: false, ...failureFields('planner-error', message), terminated: true, truncated: false });
        subscriber.complete();
      },
    );
    return () => {
      stopped = true;
    };
  });
}
