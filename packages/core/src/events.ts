// Every episode is a stream of these; the CLI prints them, the recorder writes them as JSON Lines.
import type { RobotSpec, SceneSpec, Vec3 } from './spec.js';

/** A rigid pose as position and unit quaternion: [x, y, z, qx, qy, qz, qw]. */
export type PoseQ = [number, number, number, number, number, number, number];

/** Where everything a replay viewer draws is at one instant. */
export interface Frame {
  /** World pose of each robot link's frame (its collision geoms are placed in it). */
  links: Record<string, PoseQ>;
  /** World pose of each movable scene body; static bodies stay at their SceneSpec pose. */
  bodies: Record<string, PoseQ>;
  /** The task's markers (targets), which may move. */
  markers: Array<{ name: string; position: Vec3 }>;
}

interface EventBase {
  /** Simulated seconds since reset. */
  t: number;
  /** Control step index. */
  step: number;
}

export type EpisodeEvent =
  | (EventBase & { type: 'reset'; scenario: string; robot: string; planner: string; seed: number })
  // Recorded for a replay viewer (EpisodeOptions.viewerData): what is drawn, right after reset.
  | (EventBase & { type: 'scene'; robot: RobotSpec; scene: SceneSpec; controlDt: number; frame: Frame })
  // frame, terms and guardrails (weighted cost terms, guardrails apart) only when recorded for a viewer.
  | (EventBase & { type: 'tick'; action: number[]; cost: number; observation?: number[]; frame?: Frame; terms?: Record<string, number>; guardrails?: Record<string, number> })
  // predicted: the planner's expected path of the end effector (else the base), one point per control step, for a viewer.
  | (EventBase & { type: 'plan'; level: number; ms: number; cost?: number; predicted?: Vec3[] })
  // surprise: the value that caused a surprise replan.
  | (EventBase & { type: 'replan'; level: number; reason: string; surprise?: number })
  // Recorded for a replay viewer: each level's surprise at this step, keyed by level, while some level measures it.
  | (EventBase & { type: 'surprise'; levels: Record<string, number> })
  // With online adaptation (run --adapt): its surprise at the transition that led to this step (measured before any
  // update), and the gradient steps of the update it took right after, if any. One more after the episode's done
  // event carries the end-of-episode update (afterEpisode, no surprise).
  | (EventBase & { type: 'adaptation'; surprise?: number; gradientSteps?: number; afterEpisode?: true })
  | (EventBase & { type: 'subgoal-start'; name: string; level: number })
  | (EventBase & { type: 'subgoal-done'; name: string; level: number })
  | (EventBase & { type: 'subgoal-failed'; name: string; level: number; reason: string })
  | (EventBase & { type: 'guardrail'; name: string; value: number })
  | (EventBase & { type: 'done'; success: boolean; failure?: string; detail?: string; terminated: boolean; truncated: boolean });

export type EpisodeEventType = EpisodeEvent['type'];
