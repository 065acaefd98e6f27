// commute-v1, the flagship: from an office upstairs, take the elevator (or, in the elevator-out variant, the ramp)
// down to the lobby, go out to the street, hail a taxi from the curb zone and reach its door zone once it stopped.
// Per seed: a person crossing the corridor (and pausing in it), the elevator late on some seeds, the taxi stopping
// at a random place along the curb.
import { defineScenario, type Task, type Vec3 } from '@itinera/core';
import { DRIVE_COST_TERMS, driveResiduals, roverShiftOptions, shiftedRover, type DriveSubgoal } from '@itinera/rover';
import { z } from 'zod';
import { advanceActors, type ActorsState } from './actors.js';
import { buildingBodies, CURB_ZONE, LOWER, ROAD, TAXI } from './layout.js';

export { commuteTree } from './tree.js';

const commuteOptionsSchema = z
  .object({
    variant: z.enum(['standard', 'elevator-out']).default('standard').describe("'elevator-out': the elevator is out of service (its call button lights a sign) and a ramp leads down."),
    maxSteps: z.number().int().positive().default(6000).describe('Episode length in control steps (50 Hz).'),
    person: z.boolean().default(true).describe('A person crosses the corridor (and may stop in it).'),
    lateElevator: z.number().min(0).max(1).default(0.3).describe('Share of seeds on which the elevator arrives late (8–14 s after the call instead of 1–2 s).'),
    taxiSpread: z.number().min(0).max(3.5).default(3).describe('The taxi stops up to this far (m) either side of the hailing spot.'),
    ...roverShiftOptions,
  })
  .strict();
export type CommuteOptions = z.infer<typeof commuteOptionsSchema>;

export interface CommuteState extends ActorsState {
  /** Under SUBGOAL_KEY: a level above writes it into a planning copy; absent in the live env (the flat objective applies). */
  subgoal?: DriveSubgoal;
}

const DOOR_ZONE = { xMin: 14.35, xMax: 14.95, halfY: 0.45 };

export const commute = defineScenario<CommuteOptions>({
  name: 'commute-v1',
  description: 'Office upstairs → elevator (or ramp) → street → hail a taxi → its door zone; a person, a late elevator, a taxi stopping anywhere.',
  defaultRobot: 'rover',
  defaultPlanner: 'rover-hierarchical-learned',
  schema: commuteOptionsSchema,
  defaults: commuteOptionsSchema.parse({}),
  create: (options, robot): Task<CommuteState> => {
    const armJoint = robot.joints.filter((j) => j.type !== 'fixed').findIndex((j) => j.name === 'arm');
    if (!robot.endEffector) throw new Error(`commute-v1 needs a robot with an end effector to press buttons ('${robot.name}' names none)`);
    const ramp = options.variant === 'elevator-out';
    const inDoorZone = (p: Vec3, s: CommuteState) => s.taxi.stopped && p[0] >= DOOR_ZONE.xMin && p[0] <= DOOR_ZONE.xMax && Math.abs(p[1] - s.taxi.y) < DOOR_ZONE.halfY && p[2] < LOWER + 0.5;
    return {
      robot: shiftedRover(robot, options),
      scene: { ground: false, bodies: buildingBodies(ramp), regions: [CURB_ZONE, ROAD] },
      maxSteps: options.maxSteps,
      costTerms: DRIVE_COST_TERMS,
      observationNames: ['elevator.z', 'elevator.upper-door', 'elevator.lower-door', 'elevator.called', 'elevator.selected', 'elevator.out', 'building.ramp', 'taxi.y', 'taxi.stopped', 'taxi.hailed'],
      init(rng) {
        const late = rng.next() < options.lateElevator;
        return {
          time: 0,
          elevator: {
            z: LOWER,
            phase: 'waiting',
            upperDoor: 0,
            lowerDoor: 0,
            called: false,
            calledAt: 0,
            selected: false,
            outOfService: ramp,
            outShown: false,
            delay: late ? rng.uniform(8, 14) : rng.uniform(1, 2),
            openedAt: 0,
          },
          taxi: { y: TAXI.parkedY, speed: 0, stopY: rng.uniform(-options.taxiSpread, options.taxiSpread), inZoneSince: NaN, hailed: false, hailedAt: 0, delay: rng.uniform(0.5, 2), stopped: false },
          person: options.person
            ? { x: rng.uniform(3, 6), y: -1.1, startAt: rng.uniform(2, 8), pauseY: rng.uniform(-0.6, 0.6), pause: rng.uniform(0, 3), pausedAt: NaN, phase: 'away' }
            : { x: 0, y: 0, startAt: Infinity, pauseY: 0, pause: 0, pausedAt: NaN, phase: 'away' },
        };
      },
      advance: (view, s, dt) => advanceActors(view, s, dt),
      observe(_view, s) {
        const e = s.elevator;
        return [e.z, e.upperDoor, e.lowerDoor, e.called ? 1 : 0, e.selected ? 1 : 0, e.outShown ? 1 : 0, ramp ? 1 : 0, s.taxi.y, s.taxi.stopped ? 1 : 0, s.taxi.hailed ? 1 : 0];
      },
      residuals(view, s) {
        // The flat objective: the taxi's door once it stopped, the curb zone before.
        const flat: DriveSubgoal = { target: s.taxi.stopped ? [14.65, s.taxi.y] : [(CURB_ZONE.min[0] + CURB_ZONE.max[0]) / 2, 0] };
        return driveResiduals(view, s.subgoal ?? flat, armJoint);
      },
      status(view, s) {
        const p = view.basePosition();
        const [qx, qy] = view.baseQuaternion();
        if (1 - 2 * (qx * qx + qy * qy) < 0.5) return { success: false, failure: 'tipped-over' };
        if (p[2] < LOWER - 0.5) return { success: false, failure: 'fell' };
        return { success: inDoorZone(p, s) };
      },
      markers: (s) => [
        { name: 'taxi-door', position: [14.65, s.taxi.stopY, LOWER] },
      ],
    };
  },
});
