// `itinera collect --level 1`: what the level-0 controller does when told to follow a waypoint. The rover drives
// to random waypoints in free directions (checked on its range rays) under the low-level planner, with the
// waypoint written into its planning copy exactly as the hierarchical planner does; every half second of a
// segment starts one level-1 sample: the state then, the waypoint, and the state a level-1 step later (reached,
// or `stepSeconds` on). Appends to DIR/level1.jsonl, one line per segment, so a killed run resumes.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Channels, hasCapability, ItineraError, parseOverrides, Rng, subgoalWriter } from '@itinera/core';
import { HIERARCHY_DEFAULTS } from '@itinera/hierarchy';
import { level1Input, level1Target, LocalMap, planarState, ROVER_LEVEL1, type PlanarState } from '@itinera/rover';
import { resolveOptions, setUpEpisode, type EpisodeSetup } from '../episode-setup.js';
import { resolvePlanner } from '../planner-source.js';
import { builtinScenarios } from '../registries.js';
import { resolveRobotAsync } from '../robot-source.js';

export const LEVEL1_DATA_FILE = 'level1.jsonl';

export interface CollectLevel1Args {
  sim: string;
  robot?: string;
  simOpt: string[];
  /** Segments (waypoints followed) to add. */
  segments: number;
  seed: number;
  out: string;
  /** The level-0 controller: a planner or preset (default rover-mppi, the hierarchical preset's low level). */
  planner: string;
  /** Threads that roll out the controller's samples on the simulator copy (default 1). */
  threads?: number;
}

export interface Level1Segment {
  seed: number;
  segment: number;
  reached: boolean;
  samples: Array<{ input: number[]; target: number[] }>;
}

const STEP_SECONDS = ROVER_LEVEL1.stepSeconds;
const SAMPLE_EVERY = 0.5;
const SEGMENTS_PER_EPISODE = 8;

/** Segments already in `dir` (a killed run's partial last line is ignored and rewritten). */
export function readLevel1Data(dir: string): Level1Segment[] {
  const file = join(dir, LEVEL1_DATA_FILE);
  if (!existsSync(file)) return [];
  const out: Level1Segment[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as Level1Segment);
    } catch {
      // A line cut by a kill: dropped, its segment is collected again.
    }
  }
  return out;
}

export async function collectLevel1Command(args: CollectLevel1Args, progress: (done: number) => void = () => {}): Promise<{ segments: number; samples: number }> {
  const scenario = builtinScenarios().get(args.sim);
  const robot = await resolveRobotAsync(args.robot ?? scenario.defaultRobot);
  const scenarioOptions = resolveOptions(scenario, parseOverrides(args.simOpt, '--sim-opt'), `--sim-opt (${scenario.name})`);
  const choice = resolvePlanner(args.planner, {}, '--planner');
  if (hasCapability(choice.definition, 'multi-level')) throw new ItineraError('collect --level 1: the controller is the level below the waypoints, not the hierarchical planner');
  mkdirSync(args.out, { recursive: true });
  const have = readLevel1Data(args.out);
  const file = join(args.out, LEVEL1_DATA_FILE);
  let index = have.length;
  const end = have.length + args.segments;
  while (index < end) {
    // Episodes of a few segments each, seeded by their first segment's index: a resumed run continues the same stream.
    const episode = Math.floor(index / SEGMENTS_PER_EPISODE);
    const until = Math.min(end, (episode + 1) * SEGMENTS_PER_EPISODE);
    const setup = await setUpEpisode({ scenario, scenarioOptions, robot, planner: choice.definition, plannerConfig: choice.config, seed: args.seed + episode, modelPhysics: choice.modelPhysics, replanEvery: choice.replanEvery, threads: args.threads });
    try {
      for (const line of await collectEpisode(setup, args.seed + episode, episode * SEGMENTS_PER_EPISODE, index, until)) {
        appendFileSync(file, JSON.stringify(line) + '\n');
        progress(line.segment + 1 - have.length);
      }
    } finally {
      setup.free();
    }
    index = until;
  }
  const all = readLevel1Data(args.out);
  return { segments: all.length, samples: all.reduce((n, s) => n + s.samples.length, 0) };
}

/** Segments `first`..`until` of one episode (earlier ones are driven again to reach the same state, not kept). */
async function collectEpisode(setup: EpisodeSetup, seed: number, episodeFirst: number, first: number, until: number): Promise<Level1Segment[]> {
  const { env, planner } = setup;
  const channels = new Channels(env.observationSpec.names);
  if (!['base.x', 'base.y', 'base.qw', 'base.vx', 'base.wz'].every((c) => channels.has(c))) throw new ItineraError(`collect --level 1: ${env.id} observes no wheeled base (base.* channels)`);
  const rays = LocalMap.rayChannels(channels);
  const rng = new Rng(seed).fork('level1-waypoints');
  planner.reset(seed);
  let { observation } = env.reset({ seed });
  let step = 0;
  const out: Level1Segment[] = [];
  const stepsPerSegment = Math.round((2 * STEP_SECONDS) / env.controlDt);
  for (let segment = episodeFirst; segment < until; segment++) {
    const start = planarState(channels, observation);
    const [wx, wy] = pickWaypoint(rng, start, observation, rays);
    const states: PlanarState[] = [start];
    let policy;
    let reachedAt = -1;
    let ended = false;
    for (let k = 0; k < stepsPerSegment && !ended; k++) {
      if (k % setup.replanEvery === 0) {
        const snapshot = subgoalWriter(env).withSubgoal(env.snapshot(), { target: [wx, wy], via: true });
        policy = await planner.plan({ observation, time: step * env.controlDt, step, snapshot });
      }
      const result = env.step(policy!.action(step * env.controlDt, observation));
      step++;
      observation = result.observation;
      ended = result.terminated || result.truncated;
      const now = planarState(channels, observation);
      states.push(now);
      if (reachedAt < 0 && Math.hypot(wx - now.x, wy - now.y) < HIERARCHY_DEFAULTS.reachedRadius) {
        reachedAt = k + 1;
        break;
      }
    }
    if (segment >= first) out.push({ seed, segment, reached: reachedAt >= 0, samples: samplesOf(states, wx, wy, reachedAt, env.controlDt) });
    if (ended) {
      // The episode ended (a time limit, a fall): the remaining segments of this episode start over.
      for (let s = segment + 1; s < until; s++) if (s >= first) out.push({ seed, segment: s, reached: false, samples: [] });
      break;
    }
  }
  return out;
}

/** One sample every half second of the segment whose level-1 step (reached, or STEP_SECONDS on) was observed. */
function samplesOf(states: PlanarState[], wx: number, wy: number, reachedAt: number, dt: number): Level1Segment['samples'] {
  const stepLength = Math.round(STEP_SECONDS / dt);
  const every = Math.round(SAMPLE_EVERY / dt);
  const samples: Level1Segment['samples'] = [];
  for (let i = 0; i + 1 < states.length; i += every) {
    const j = reachedAt >= 0 ? Math.min(reachedAt, i + stepLength) : i + stepLength;
    if (j >= states.length) break;
    // Already within reach at the start: not a step the middle level would ask for.
    if (Math.hypot(wx - states[i].x, wy - states[i].y) < HIERARCHY_DEFAULTS.reachedRadius) break;
    const round = (v: Float64Array) => Array.from(v, (x) => Number(x.toPrecision(6)));
    samples.push({ input: round(level1Input(states[i], wx, wy)), target: round(level1Target(states[i], states[j], (j - i) / stepLength)) });
  }
  return samples;
}

/** A waypoint 0.6–2.5 m away in a direction whose ray sees at least 0.6 m past it. */
function pickWaypoint(rng: Rng, pose: PlanarState, observation: Float64Array, rays: readonly number[]): [number, number] {
  for (let tries = 0; tries < 50; tries++) {
    const k = Math.floor(rng.next() * rays.length);
    const free = observation[rays[k]];
    const distance = rng.uniform(0.6, 2.5);
    if (free < distance + 0.6) continue;
    const angle = pose.yaw + (2 * Math.PI * k) / rays.length + rng.uniform(-0.1, 0.1);
    return [pose.x + distance * Math.cos(angle), pose.y + distance * Math.sin(angle)];
  }
  // Boxed in: back out along the freest ray.
  const best = rays.reduce((b, r, k) => (observation[r] > observation[rays[b]] ? k : b), 0);
  const angle = pose.yaw + (2 * Math.PI * best) / rays.length;
  const d = Math.max(0.3, observation[rays[best]] - 0.6);
  return [pose.x + d * Math.cos(angle), pose.y + d * Math.sin(angle)];
}
