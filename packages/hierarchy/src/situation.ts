// What the levels above control see: the observation read by channel name. Predicates and subgoals are written
// over named channels, so they hold for the simulator and for learned models alike.
import { ItineraError } from '@itinera/core';

export interface Situation {
  /** Simulated seconds since reset. */
  readonly time: number;
  readonly step: number;
  readonly observation: Float64Array;
  /** The value of a named observation channel; unknown names throw (a typo in a tree is a bug). */
  get(channel: string): number;
  has(channel: string): boolean;
}

/** Channel name → index, built once per env. */
export class Channels {
  private readonly index: Map<string, number>;
  constructor(readonly names: readonly string[]) {
    this.index = new Map(names.map((n, i) => [n, i]));
  }

  has(name: string): boolean {
    return this.index.has(name);
  }

  indexOf(name: string): number {
    const i = this.index.get(name);
    if (i === undefined) throw new ItineraError(`no observation channel '${name}' (the env has ${this.names.length} channels)`);
    return i;
  }

  situation(observation: Float64Array, time: number, step: number): Situation {
    const channels = this;
    return {
      time,
      step,
      observation,
      get: (name) => observation[channels.indexOf(name)],
      has: (name) => channels.has(name),
    };
  }
}

/** Plain data: a level hands it to the level below (JSON-safe, copied into snapshots). */
export type PlainValue = number | string | boolean | readonly number[];

/**
 * The objective a level sets for the level below, as plain data. `target` (world x-y, metres) is where the base
 * should go: the middle level plans waypoints toward it, and the level-0 cost of the scenario reads the rest.
 */
export interface Subgoal {
  readonly target?: readonly [number, number];
  readonly [key: string]: PlainValue | undefined;
}

/** Planar pose of a wheeled base read from the standard `base.*` channels. */
export function basePose(s: Situation): { x: number; y: number; yaw: number } {
  const qx = s.get('base.qx');
  const qy = s.get('base.qy');
  const qz = s.get('base.qz');
  const qw = s.get('base.qw');
  return { x: s.get('base.x'), y: s.get('base.y'), yaw: Math.atan2(2 * (qw * qz + qx * qy), 1 - 2 * (qy * qy + qz * qz)) };
}
