// reach-v1: a fixed-base arm brings its end effector to a seeded random target and settles there.
import { defineScenario, ItineraError, withActuatorGain, withPayload, type RobotSpec, type Task, type Vec3, type WorldView } from '@itinera/core';
import { REACH_COST_TERMS, reachStatus } from './reach-goal.js';
import { moverChannels, observeMovers } from './movers.js';
import { reachOptionsSchema, type ReachOptions } from './options.js';

export interface ReachState {
  target: Vec3;
  /** Drawn from the task's Rng when distractors are on; their values are a pure function of it and time. */
  distractorSeed?: number;
  /** When movers are on: drawn after distractorSeed, and their square (centre x, y and half side, m); paths are a pure function of these and time. */
  movers?: { seed: number; square: [number, number, number] };
}

export const reach = defineScenario<ReachOptions>({
  name: 'reach-v1',
  description: "An arm's end effector must reach a seeded random target within a tolerance.",
  defaultRobot: 'reacher',
  defaultPlanner: 'mppi',
  schema: reachOptionsSchema,
  defaults: reachOptionsSchema.parse({}),
  create: (options, robot) => createReachTask(options, robot),
});

function createReachTask(options: ReachOptions, robot: RobotSpec): Task<ReachState> {
  if (!robot.endEffector) {
    throw new ItineraError(
      `reach-v1 needs an end effector: robot '${robot.name}' names none (add endEffector to its description or pass --end-effector LINK)`,
    );
  }
  const pivotLink = robot.joints.find((j) => j.parent === robot.base.link && j.type !== 'fixed')?.child ?? robot.base.link;
  const distance = (view: WorldView, s: ReachState): Vec3 => {
    const ee = view.endEffectorPosition();
    return [ee[0] - s.target[0], ee[1] - s.target[1], ee[2] - s.target[2]];
  };

  const ee = robot.endEffector;
  return {
    scene: { ground: true, bodies: [], regions: [] },
    robot: withActuatorGain(withPayload(robot, ee.link, ee.point, options.payload), options.motor),
    maxSteps: options.maxSteps,
    costTerms: REACH_COST_TERMS,
    observationNames: ['target.x', 'target.y', 'target.z', 'error.x', 'error.y', 'error.z', ...Array.from({ length: options.distractors }, (_, i) => `distractor.${i}`), ...moverChannels(options.movers)],
    init(rng, view) {
      // Targets lie on the circle swept at rest height, between inner and outer fractions of the reach.
      const ee = view.endEffectorPosition();
      const pivot = view.pointPosition(pivotLink);
      const reachRadius = Math.hypot(ee[0] - pivot[0], ee[1] - pivot[1]);
      const r = rng.uniform(options.minRadius, options.maxRadius) * reachRadius;
      const angle = rng.uniform(-options.maxAngle, options.maxAngle);
      const target: Vec3 = [pivot[0] + r * Math.cos(angle), pivot[1] + r * Math.sin(angle), ee[2]];
      // Draws only for the options that are on, so runs without them keep their seeds' targets and noise.
      return {
        target,
        ...(options.distractors > 0 && { distractorSeed: rng.nextUint32() }),
        // The movers' square: centred on the first joint, as wide as the arm's reach at rest.
        ...(options.movers > 0 && { movers: { seed: rng.nextUint32(), square: [pivot[0], pivot[1], reachRadius] as [number, number, number] } }),
      };
    },
    observe(view, s) {
      const sway = Array.from({ length: options.distractors }, (_, i) => distractor(s.distractorSeed ?? 0, i, view.time));
      const movers = s.movers ? observeMovers(s.movers.seed, options.movers, view.time, s.movers.square, view.endEffectorPosition()) : [];
      return [...s.target, ...distance(view, s), ...sway, ...movers];
    },
    residuals(view, s) {
      return {
        distance: distance(view, s),
        velocity: view.jointVelocities(),
      };
    },
    status: (view, s) => reachStatus(view, distance(view, s), options),
    markers: (s) => [{ name: 'target', position: s.target }],
  };
}

/** Integer hash of (seed, channel, index) to [0, 1): the distractors' noise, stateless so snapshots stay plain data. */
function hash01(seed: number, channel: number, index: number): number {
  let h = Math.imul(seed ^ Math.imul(channel + 1, 0x9e3779b1), 0x85ebca6b) ^ Math.imul(index + 0x632be5ab, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/** A swaying signal, about unit scale: a slow sine of random frequency and phase plus smooth random gusts (4 per second). */
export function distractor(seed: number, channel: number, time: number): number {
  const frequency = 0.2 + 1.3 * hash01(seed, channel, -1);
  const phase = 2 * Math.PI * hash01(seed, channel, -2);
  const u = time * 4;
  const k = Math.floor(u);
  const f = u - k;
  const smooth = f * f * (3 - 2 * f);
  const gust = (1 - smooth) * (2 * hash01(seed, channel, k) - 1) + smooth * (2 * hash01(seed, channel, k + 1) - 1);
  return 0.5 * Math.sin(2 * Math.PI * frequency * time + phase) + gust;
}

export { reachOptionsSchema, type ReachOptions };
export { reachV2, type ReachV2State } from './reach-v2.js';
export { reachV2OptionsSchema, type ReachV2Options } from './options-v2.js';
