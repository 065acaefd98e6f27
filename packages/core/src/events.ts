// Every episode is a stream of these; the CLI prints them, the recorder writes them as JSON Lines.

interface EventBase {
  /** Simulated seconds since reset. */
  t: number;
  /** Control step index. */
  step: number;
}

export type EpisodeEvent =
  | (EventBase & { type: 'reset'; scenario: string; robot: string; planner: string; seed: number })
  | (EventBase & { type: 'tick'; action: number[]; cost: number; observation?: number[] })
  | (EventBase & { type: 'plan'; level: number; ms: number; cost?: number })
  | (EventBase & { type: 'replan'; level: number; reason: string })
  | (EventBase & { type: 'subgoal-start'; name: string; level: number })
  | (EventBase & { type: 'subgoal-done'; name: string; level: number })
  | (EventBase & { type: 'subgoal-failed'; name: string; level: number; reason: string })
  | (EventBase & { type: 'guardrail'; name: string; value: number })
  | (EventBase & { type: 'done'; success: boolean; failure?: string; detail?: string; terminated: boolean; truncated: boolean });

export type EpisodeEventType = EpisodeEvent['type'];
