// rooms-v1: the rover crosses a floor of four rooms joined by doorways to a seeded goal in the far room. Per seed
// a door panel may close one doorway of each dividing wall; the post between the doorways blocks the straight line.
import { defineScenario, type Task, type Vec3, type WorldView } from '@itinera/core';
import { DRIVE_COST_TERMS, driveResiduals, roverShiftOptions, shiftedRover, type DriveSubgoal } from '@itinera/rover';
import { z } from 'zod';
import { doorName, doorPose, ROOM, ROOMS, roomsBodies, SIDES, X_MAX, type Side } from './layout.js';
import { doorChannel, GOAL_RADIUS } from './tree.js';

export { roomsTree } from './tree.js';

const roomsOptionsSchema = z
  .object({
    maxSteps: z.number().int().positive().default(2500).describe('Episode length in control steps (50 Hz).'),
    closedDoors: z.boolean().default(true).describe('Close one doorway of each wall on some seeds (else all doorways stay open).'),
    ...roverShiftOptions,
  })
  .strict();
export type RoomsOptions = z.infer<typeof roomsOptionsSchema>;

export interface RoomsState {
  goal: Vec3;
  /** open[w − 1][side]: whether that doorway is open. */
  open: Array<Record<Side, boolean>>;
  /** Under SUBGOAL_KEY: a level above writes it into a planning copy; absent in the live env (the flat objective applies). */
  subgoal?: DriveSubgoal;
}

export const rooms = defineScenario<RoomsOptions>({
  name: 'rooms-v1',
  description: 'The rover crosses four rooms joined by doorways (some closed per seed) to a goal in the far room.',
  defaultRobot: 'rover',
  defaultPlanner: 'rover-hierarchical-learned',
  schema: roomsOptionsSchema,
  defaults: roomsOptionsSchema.parse({}),
  create: (options, robot): Task<RoomsState> => {
    const armJoint = robot.joints.filter((j) => j.type !== 'fixed').findIndex((j) => j.name === 'arm');
    const toGoal = (view: WorldView, s: RoomsState) => {
      const p = view.basePosition();
      return Math.hypot(p[0] - s.goal[0], p[1] - s.goal[1]);
    };
    return {
      robot: shiftedRover(robot, options),
      scene: { ground: true, bodies: roomsBodies(), regions: [{ name: 'goal-room', min: [X_MAX - ROOM, -ROOM / 2, 0], max: [X_MAX, ROOM / 2, 1] }] },
      maxSteps: options.maxSteps,
      costTerms: DRIVE_COST_TERMS,
      observationNames: ['rooms.goal.x', 'rooms.goal.y', ...Array.from({ length: ROOMS - 1 }, (_, i) => SIDES.map((side) => doorChannel(i + 1, side))).flat()],
      init(rng) {
        const goal: Vec3 = [X_MAX - rng.uniform(0.6, 1.1), rng.uniform(-1, 1), 0];
        const open = Array.from({ length: ROOMS - 1 }, () => {
          const pick = options.closedDoors ? rng.int(3) : 2;
          return { left: pick !== 1, right: pick !== 0 };
        });
        return { goal, open };
      },
      // Scripted actors: the door panels.
      advance(_view, s) {
        return s.open.flatMap((doors, i) => SIDES.map((side) => ({ body: doorName(i + 1, side), xyz: doorPose(i + 1, side, doors[side]) })));
      },
      observe(_view, s) {
        return [s.goal[0], s.goal[1], ...s.open.flatMap((doors) => SIDES.map((side) => (doors[side] ? 1 : 0)))];
      },
      residuals(view, s, _action) {
        return driveResiduals(view, s.subgoal ?? { target: [s.goal[0], s.goal[1]] }, armJoint);
      },
      status(view, s) {
        const [qx, qy] = view.baseQuaternion();
        // Upright means the base's z axis points up: 1 − 2(qx² + qy²) is its z component.
        if (1 - 2 * (qx * qx + qy * qy) < 0.5) return { success: false, failure: 'tipped-over' };
        return { success: toGoal(view, s) < GOAL_RADIUS };
      },
      markers: (s) => [{ name: 'goal', position: s.goal }],
    };
  },
});
