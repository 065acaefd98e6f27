// A trot clock for walking: each foot's height target rises and falls with time, as MuJoCo MPC's quadruped gait does.
// Torque sampling alone rarely finds stepping over a 0.3 s horizon; asking swing feet up on a schedule makes it.
import { yawOf, type RobotSpec, type Vec3, type WorldView } from '@itinera/core';
import { z } from 'zod';

export const gaitOptions = {
  gait: z.enum(['trot', 'none']).default('trot').describe("Foot-height schedule the cost asks for: 'trot' lifts diagonal feet in turn, 'none' asks nothing of the feet."),
  cadence: z.number().positive().default(2).describe('Gait cycles per second.'),
  stepHeight: z.number().min(0).default(0.05).describe('How far above its standing height a swing foot is asked to rise at mid-swing, m.'),
  duty: z.number().gt(0).lt(1).default(0.5).describe('Share of each cycle a foot stands; the rest it swings.'),
};

const gaitSchema = z.object(gaitOptions);
export type GaitOptions = z.infer<typeof gaitSchema>;

/** Per foot, measured at reset: its sole's standing height and where its swing sits in the cycle. */
export interface GaitState {
  footRest: number[];
  footPhase: number[];
}

/**
 * The point of each foot that touches the ground: the origin of the foot link's collision shape farthest from the link's
 * own origin (a calf's toe sphere, not its shin), or the origin itself for a foot link.
 */
export function soles(robot: RobotSpec, feet: readonly string[]): Vec3[] {
  return feet.map((name) => {
    const geoms = robot.links.find((l) => l.name === name)?.collisions ?? [];
    let sole: Vec3 = [0, 0, 0];
    for (const g of geoms) if (Math.hypot(...g.origin.xyz) > Math.hypot(...sole)) sole = [...g.origin.xyz];
    return sole;
  });
}

/** Trot: feet on one diagonal (front-left and hind-right, by their side of the base at rest) swing half a cycle after the others. */
export function measureGait(view: WorldView, feet: readonly string[], sole: readonly Vec3[]): GaitState {
  const base = view.basePosition();
  const yaw = yawOf(view.baseQuaternion());
  const footRest: number[] = [];
  const footPhase: number[] = [];
  feet.forEach((foot, i) => {
    const p = view.pointPosition(foot, sole[i]);
    const dx = p[0] - base[0];
    const dy = p[1] - base[1];
    const forward = Math.cos(yaw) * dx + Math.sin(yaw) * dy;
    const left = -Math.sin(yaw) * dx + Math.cos(yaw) * dy;
    footRest.push(p[2]);
    footPhase.push(forward * left >= 0 ? 0 : 0.5);
  });
  return { footRest, footPhase };
}

/** Lift asked of a foot at `cycle` (cycles since reset, its own phase removed): a cosine bump over the swing share. */
export function swingLift(cycle: number, options: Pick<GaitOptions, 'stepHeight' | 'duty'>): number {
  const fromSwingMiddle = ((((cycle + 0.5) % 1) + 1) % 1) - 0.5;
  const x = fromSwingMiddle / (1 - options.duty);
  return Math.abs(x) < 0.5 ? options.stepHeight * Math.cos(Math.PI * x) : 0;
}

/** How far each swinging foot is from its scheduled height (0 for standing feet: where they stand is the planner's choice). */
export function gaitResidual(view: WorldView, feet: readonly string[], sole: readonly Vec3[], s: GaitState, options: GaitOptions): number[] {
  return feet.map((foot, i) => {
    const lift = options.gait === 'none' ? 0 : swingLift(view.time * options.cadence - s.footPhase[i], options);
    return lift > 0 ? view.pointPosition(foot, sole[i])[2] - (s.footRest[i] + lift) : 0;
  });
}
