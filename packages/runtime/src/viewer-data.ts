// What a replay viewer needs beyond the plain events: the scene after reset, and each step's frame and cost terms.
import { map, type MonoTypeOperatorFunction } from 'rxjs';
import type { Env, EpisodeEvent, ResetResult } from '@itinera/core';
import type { StepOutcome } from './step-env.js';

/** The scene event that follows reset, or none when the env offers no view. */
export function sceneEvents(env: Env, reset: ResetResult): EpisodeEvent[] {
  if (!env.view) return [];
  const { robot, scene } = env.view.scene();
  return [{ type: 'scene', t: reset.info.time, step: reset.info.step, robot, scene, controlDt: env.controlDt, frame: env.view.frame() }];
}

/** Adds the frame right after each step (before anything else moves the env) and the step's cost terms, guardrails apart. */
export function withViewerData(env: Env): MonoTypeOperatorFunction<StepOutcome> {
  return map((outcome) => {
    const { costTerms, guardrails } = outcome.result.info;
    const terms = Object.fromEntries(Object.entries(costTerms).filter(([name]) => !(name in guardrails)).map(([name, v]) => [name, short(v)]));
    const frame = env.view?.frame();
    return { ...outcome, viewer: { ...(frame && { frame }), terms, guardrails: Object.fromEntries(Object.entries(guardrails).map(([name, v]) => [name, short(v)])) } };
  });
}

/** Six significant digits: plenty for a plot, a third of the characters. */
const short = (v: number) => Number(v.toPrecision(6));
