// What the levels above control see: the observation read by channel name. Predicates and subgoals are written
// over named channels, so they hold for the simulator and for learned models alike.
import { ItineraError } from './errors.js';

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

  /** Whether every one of `names` is observed. */
  hasAll(names: readonly string[]): boolean {
    return names.every((n) => this.index.has(n));
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
 * The objective a level sets for the level below, as plain data. `target` (world x-y, metres) is where the robot
 * should go: the middle level plans waypoints toward it and hands each on as the target, `via` when it is to be
 * passed through rather than stopped at. The level-0 cost of the scenario reads the rest.
 */
export interface Subgoal {
  readonly target?: readonly [number, number];
  readonly via?: boolean;
  readonly [key: string]: PlainValue | undefined;
}

/** Where a planning copy's task state carries the subgoal of the level above; the task's residuals read it there. */
export const SUBGOAL_KEY = 'subgoal';
