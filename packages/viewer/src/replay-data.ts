// The data a replay page is built from: a recording's events regrouped per episode, as the page draws them.
import type { EpisodeEvent, Frame, RobotSpec, SceneSpec, Vec3 } from '@itinera/core';

/** The id of the script element the page reads its data from. */
export const DATA_ELEMENT_ID = 'itinera-replay-data';

/** A line of the timeline; `count` and `endStep` when consecutive replans of one reason and level are folded. */
export interface TimelineEntry {
  step: number;
  t: number;
  kind: 'subgoal-start' | 'subgoal-done' | 'subgoal-failed' | 'replan' | 'guardrail' | 'done';
  /** What happened, as a person reads it: `replan: periodic (level 0)`. */
  text: string;
  count?: number;
  endStep?: number;
}

export interface ReplayPlan {
  step: number;
  level: number;
  ms: number;
  /** The planner's expected end-effector (else base) path, one point per control step. */
  predicted?: Vec3[];
}

export interface ReplayEpisode {
  scenario: string;
  robot: string;
  planner: string;
  seed: number;
  outcome?: { success: boolean; text: string; step: number };
  /** Absent for recordings made without viewer data: the page then shows the timeline and plots only. */
  scene?: { robot: RobotSpec; scene: SceneSpec; controlDt: number };
  /** Moment i is the state after i control steps: moment 0 is the reset, moment i follows tick i. */
  steps: number[];
  times: number[];
  /** One per moment when a scene was recorded, else empty. */
  frames: Frame[];
  /** Per moment; null at the reset. */
  cost: Array<number | null>;
  /** Weighted task terms and guardrail terms per moment (null where not recorded). */
  terms: Record<string, Array<number | null>>;
  guardrails: Record<string, Array<number | null>>;
  plans: ReplayPlan[];
  timeline: TimelineEntry[];
  /** Each level's surprise per moment (null where it measured none), keyed by level; empty when none was recorded. */
  surprise: Record<string, Array<number | null>>;
  /** The replans surprise caused: at which moment, at which level, with the value that caused it. */
  surpriseReplans: Array<{ index: number; level: number; value: number }>;
  /** With online adaptation (run --adapt) only: its level-0 surprise per moment and the updates it took. */
  adaptation?: ReplayAdaptation;
}

export interface ReplayAdaptation {
  /** Surprise at the transition into each moment, before that step's update (null where none was measured). */
  surprise: Array<number | null>;
  /** Where gradient steps were taken: at a moment, or (afterEpisode) once the episode was over, at its last moment. */
  updates: Array<{ index: number; gradientSteps: number; afterEpisode?: true }>;
}

export interface ReplayData {
  /** The recording's file name, for the title. */
  source: string;
  episodes: ReplayEpisode[];
}

/** Splits a recording's events into episodes (each starts at a reset event) and regroups them for the page. */
export function buildReplay(events: EpisodeEvent[], source: string): ReplayData {
  const episodes: EpisodeEvent[][] = [];
  for (const event of events) {
    if (event.type === 'reset') episodes.push([]);
    episodes.at(-1)?.push(event);
  }
  return { source, episodes: episodes.map(replayEpisode) };
}

function replayEpisode(events: EpisodeEvent[]): ReplayEpisode {
  const reset = events[0] as Extract<EpisodeEvent, { type: 'reset' }>;
  const episode: ReplayEpisode = {
    scenario: reset.scenario,
    robot: reset.robot,
    planner: reset.planner,
    seed: reset.seed,
    steps: [reset.step],
    times: [reset.t],
    frames: [],
    cost: [null],
    terms: {},
    guardrails: {},
    plans: [],
    timeline: [],
    surprise: {},
    surpriseReplans: [],
  };
  // Surprise by level and step, and the replans it caused, placed on the moments once all are known.
  const readings = new Map<string, Map<number, number>>();
  const surprised: Array<Extract<EpisodeEvent, { type: 'replan' }>> = [];
  const adapted: Array<Extract<EpisodeEvent, { type: 'adaptation' }>> = [];
  for (const event of events) {
    switch (event.type) {
      case 'scene':
        episode.scene = { robot: event.robot, scene: event.scene, controlDt: event.controlDt };
        episode.frames = [event.frame];
        break;
      case 'tick':
        addMoment(episode, event);
        break;
      case 'plan':
        episode.plans.push({ step: event.step, level: event.level, ms: event.ms, ...(event.predicted && { predicted: event.predicted }) });
        break;
      case 'replan':
        addReplan(episode.timeline, event);
        if (event.surprise !== undefined) surprised.push(event);
        break;
      case 'surprise':
        for (const [level, value] of Object.entries(event.levels)) (readings.get(level) ?? readings.set(level, new Map()).get(level)!).set(event.step, value);
        break;
      case 'adaptation':
        adapted.push(event);
        break;
      case 'subgoal-start':
      case 'subgoal-done':
        episode.timeline.push({ step: event.step, t: event.t, kind: event.type, text: `${event.name} ${event.type === 'subgoal-start' ? 'started' : 'done'} (level ${event.level})` });
        break;
      case 'subgoal-failed':
        episode.timeline.push({ step: event.step, t: event.t, kind: event.type, text: `${event.name} failed: ${event.reason} (level ${event.level})` });
        break;
      case 'guardrail':
        episode.timeline.push({ step: event.step, t: event.t, kind: 'guardrail', text: `guardrail ${event.name}: ${event.value.toPrecision(3)}` });
        break;
      case 'done': {
        const text = event.success ? 'success' : `failed: ${event.failure ?? 'failed'}${event.detail ? ` (${event.detail})` : ''}`;
        episode.outcome = { success: event.success, text, step: event.step };
        episode.timeline.push({ step: event.step, t: event.t, kind: 'done', text: `done: ${text}` });
        break;
      }
    }
  }
  // A recording cut short (a killed run) keeps the frames it has; ticks without a frame drop the 3D view.
  if (episode.frames.length !== episode.steps.length) episode.frames = [];
  placeSurprise(episode, readings, surprised);
  if (adapted.length > 0) episode.adaptation = placeAdaptation(episode.steps, adapted);
  return episode;
}

/** Adaptation's surprise as a series over the moments, and each update at its moment (an update after the episode at the last). */
function placeAdaptation(steps: number[], events: Array<Extract<EpisodeEvent, { type: 'adaptation' }>>): ReplayAdaptation {
  const moment = new Map(steps.map((step, index) => [step, index]));
  const surprise = steps.map((): number | null => null);
  const updates: ReplayAdaptation['updates'] = [];
  for (const { step, surprise: value, gradientSteps, afterEpisode } of events) {
    const index = afterEpisode ? steps.length - 1 : moment.get(step);
    if (index === undefined) continue;
    if (value !== undefined) surprise[index] = value;
    if (gradientSteps) updates.push({ index, gradientSteps, ...(afterEpisode && { afterEpisode }) });
  }
  return { surprise, updates };
}

/** Surprise readings as one series per level over the moments, and each surprise replan at its moment. */
function placeSurprise(episode: ReplayEpisode, readings: Map<string, Map<number, number>>, surprised: Array<Extract<EpisodeEvent, { type: 'replan' }>>): void {
  const levels = [...readings.keys()].sort((a, b) => Number(a) - Number(b));
  for (const level of levels) episode.surprise[level] = episode.steps.map((step) => readings.get(level)!.get(step) ?? null);
  const moment = new Map(episode.steps.map((step, index) => [step, index]));
  for (const { step, level, surprise } of surprised) {
    const index = moment.get(step);
    if (index !== undefined) episode.surpriseReplans.push({ index, level, value: surprise! });
  }
}

function addMoment(episode: ReplayEpisode, tick: Extract<EpisodeEvent, { type: 'tick' }>): void {
  const index = episode.steps.length;
  episode.steps.push(tick.step);
  episode.times.push(tick.t);
  episode.cost.push(tick.cost);
  if (tick.frame) episode.frames.push(tick.frame);
  addSeries(episode.terms, tick.terms, index);
  addSeries(episode.guardrails, tick.guardrails, index);
}

/** Appends one moment's values; a term first seen late is null before, one missing now is null now. */
function addSeries(series: Record<string, Array<number | null>>, values: Record<string, number> | undefined, index: number): void {
  for (const [name, value] of Object.entries(values ?? {})) (series[name] ??= Array<number | null>(index).fill(null)).push(value);
  for (const values of Object.values(series)) while (values.length <= index) values.push(null);
}

/** Folds a replan into the previous line when it has the same reason and level (periodic replans every tick). */
function addReplan(timeline: TimelineEntry[], event: Extract<EpisodeEvent, { type: 'replan' }>): void {
  const text = `replan: ${event.reason}${event.surprise !== undefined ? ` ${event.surprise}` : ''} (level ${event.level})`;
  const last = timeline.at(-1);
  if (last?.kind === 'replan' && last.text === text) {
    last.count = (last.count ?? 1) + 1;
    last.endStep = event.step;
    return;
  }
  timeline.push({ step: event.step, t: event.t, kind: 'replan', text });
}
