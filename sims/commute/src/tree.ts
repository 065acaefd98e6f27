// The commute-v1 task tree: leave the office → get down (elevator: call, wait, enter, press ground floor, ride,
// exit | the same again after a failure | ramp) → go out to the street → hail a taxi in the curb zone → reach its
// door zone. Skills read named observation channels only.
import { defineTaskTree, method, skill, task, type Situation, type Skill, type TaskTree } from '@itinera/core';
import { basePose } from '@itinera/rover';
import { CALL_PLATE, CAR, CAR_PLATE, CURB_ZONE, FRONT_DOOR, LOWER, LOWER_DOOR, OFFICE_DOOR, RAMP, UPPER_DOOR } from './layout.js';

/**
 * Where the base stands to press a plate with the paddle (arm level, its tip 0.57 m ahead of the base's centre):
 * 2 cm closer than touching, so the cost keeps the paddle pressed against the plate. Much closer and the level
 * arm no longer fits in front of the plate.
 */
const PRESS_REACH = 0.55;
const ARM_LEVEL = 0;
const TAXI_DOOR_X = 14.65;
/** The rover turns on the spot about its axle, 0.1 m ahead of the base's centre. */
const AXLE = 0.1;
/** Height of a plate's centre above its floor (the paddle's height with the arm level). */
const PLATE_Z = (CALL_PLATE.zMin + CALL_PLATE.zMax) / 2;

const pose = (s: Situation) => basePose(s);
const near = (s: Situation, x: number, y: number, r: number) => Math.hypot(pose(s).x - x, pose(s).y - y) < r;
const z = (s: Situation) => s.get('base.z');
const upstairs = (s: Situation) => z(s) > -0.3;
const facing = (s: Situation, yaw: number, tol: number) => Math.abs(Math.atan2(Math.sin(pose(s).yaw - yaw), Math.cos(pose(s).yaw - yaw))) < tol;

/** The elevator ride as a method; `tag` keeps the names of a retry unique. */
function byElevator(tag: string) {
  const callY = (CALL_PLATE.yMin + CALL_PLATE.yMax) / 2;
  const carX = (CAR_PLATE.xMin + CAR_PLATE.xMax) / 2;
  const exitY = (LOWER_DOOR.yMin + LOWER_DOOR.yMax) / 2;
  const doorY = (UPPER_DOOR.yMin + UPPER_DOOR.yMax) / 2;
  const out = (s: Situation) => (s.get('elevator.out') > 0 ? 'out of service' : undefined);
  const steps: Skill[] = [
    skill({
      name: `call-elevator${tag}`,
      budget: 30,
      navigate: true,
      subgoal: () => ({ target: [CALL_PLATE.face - PRESS_REACH, callY], face: [CALL_PLATE.face + 1, callY], arm: ARM_LEVEL, speed: 0.5, reach: [CALL_PLATE.face + 0.01, callY, PLATE_Z] }),
      success: (s) => s.get('elevator.called') > 0 || s.get('elevator.upper-door') > 0.5,
      failure: out,
    }),
    skill({
      name: `wait-for-car${tag}`,
      budget: 40,
      idle: true,
      subgoal: () => ({ target: [UPPER_DOOR.x - 0.75, doorY], face: [UPPER_DOOR.x + 1, doorY], speed: 0.4 }),
      success: (s) => s.get('elevator.upper-door') > 0.95 && s.get('elevator.z') > -0.01,
      failure: out,
    }),
    skill({
      name: `enter-car${tag}`,
      budget: 15,
      // 0.1 m short of the button's x: turning left on the spot (about the axle, 0.1 m ahead of the centre) then
      // leaves the base facing the button.
      subgoal: () => ({ target: [carX - AXLE, doorY], face: [CAR.xMax + 1, doorY], speed: 0.4 }),
      success: (s) => near(s, carX - AXLE, doorY, 0.15) && facing(s, 0, 0.35),
      failure: (s) => (s.get('elevator.upper-door') < 0.5 && pose(s).x < UPPER_DOOR.x ? 'doors closed' : undefined),
    }),
    skill({
      name: `press-ground-floor${tag}`,
      budget: 15,
      subgoal: (s) => ({ target: [carX, CAR_PLATE.face - PRESS_REACH], face: [carX, CAR_PLATE.face + 1], arm: ARM_LEVEL, speed: 0.3, reach: [carX, CAR_PLATE.face + 0.01, s.get('elevator.z') + PLATE_Z] }),
      success: (s) => s.get('elevator.selected') > 0,
    }),
    skill({
      name: `ride-down${tag}`,
      budget: 30,
      idle: true,
      // Back off the button still facing it, to where a right turn on the spot lines the base up with the exit.
      subgoal: () => ({ target: [carX, exitY - AXLE], face: [carX, CAR.yMax + 1], speed: 0.3 }),
      success: (s) => s.get('elevator.z') < LOWER + 0.01 && s.get('elevator.lower-door') > 0.95,
    }),
  ];
  return method(`elevator${tag}`, steps, (s) => s.get('elevator.out') === 0 && upstairs(s));
}

const inCarBelow = (s: Situation) => z(s) < -0.5 && pose(s).x > CAR.xMin - 0.05 && pose(s).x < LOWER_DOOR.x && Math.abs(pose(s).y) < CAR.yMax;

/** Line up with the lower doors, then drive out; `tag` keeps the names of a retry unique. */
function outOfCar(tag: string) {
  const carX = (CAR_PLATE.xMin + CAR_PLATE.xMax) / 2;
  const exitY = (LOWER_DOOR.yMin + LOWER_DOOR.yMax) / 2;
  return method(
    `out-of-car${tag}`,
    [
      skill({
        name: `line-up-exit${tag}`,
        budget: 15,
        subgoal: () => ({ target: [carX - AXLE, exitY], face: [CAR.xMax + 1, exitY], speed: 0.3 }),
        success: (s) => near(s, carX - AXLE, exitY, 0.15) && facing(s, 0, 0.3),
      }),
      skill({
        name: `exit-car${tag}`,
        budget: 12,
        subgoal: () => ({ target: [LOWER_DOOR.x + 0.9, exitY], via: true, speed: 0.5 }),
        success: (s) => pose(s).x > LOWER_DOOR.x + 0.45,
      }),
    ],
    inCarBelow,
  );
}

/** Leaving the car after the ride; nothing to do when the ramp brought the rover down. */
const leaveCar = task('leave-car', [
  outOfCar(''),
  outOfCar('-again'),
  method('not-in-car', [skill({ name: 'clear-of-car', budget: 1, subgoal: () => ({}), success: (s) => !inCarBelow(s) })], (s) => !inCarBelow(s)),
]);

/** The corridor's opening onto the landing (x) and the ramp lane's centre line (y). */
const OPENING_X = (RAMP.openingXMin + RAMP.openingXMax) / 2;
const LANE_Y = (RAMP.yMin + RAMP.yMax) / 2;

const byRamp = method(
  'ramp',
  [
    skill({
      name: 'to-ramp',
      budget: 30,
      navigate: true,
      subgoal: () => ({ target: [OPENING_X, 0.5], face: [OPENING_X, 3] }),
      success: (s) => near(s, OPENING_X, 0.5, 0.25) && facing(s, Math.PI / 2, 0.4),
    }),
    skill({
      name: 'onto-landing',
      budget: 15,
      subgoal: () => ({ target: [OPENING_X, LANE_Y], face: [RAMP.xFoot, LANE_Y], speed: 0.4 }),
      // Done turning too: a base still spinning on the landing swings on into the rails' posts.
      success: (s) => near(s, OPENING_X, LANE_Y, 0.25) && facing(s, 0, 0.35) && Math.abs(s.get('base.wz')) < 1,
    }),
    skill({
      // Into the lane through its centre line: the wheels reach 0.3 m to either side, and the rails' posts at the top
      // leave 0.25 m of play each side.
      name: 'onto-ramp',
      budget: 10,
      subgoal: () => ({ target: [RAMP.xTop + 0.8, LANE_Y], via: true, speed: 0.4 }),
      success: (s) => pose(s).x > RAMP.xTop + 0.5,
    }),
    skill({
      name: 'down-ramp',
      budget: 40,
      // Clear of the rails' ends at the foot before turning toward the front door.
      subgoal: () => ({ target: [RAMP.xFoot + 0.7, LANE_Y], speed: 0.5 }),
      success: (s) => pose(s).x > RAMP.xFoot + 0.35 && z(s) < LOWER + 0.3,
    }),
  ],
  (s) => s.get('building.ramp') > 0 && upstairs(s),
);

export const commuteTree: TaskTree = defineTaskTree({
  name: 'commute-v1',
  channels: ['base.x', 'base.y', 'base.z', 'base.qw', 'base.wz', 'elevator.z', 'elevator.upper-door', 'elevator.lower-door', 'elevator.called', 'elevator.selected', 'elevator.out', 'building.ramp', 'taxi.y', 'taxi.stopped', 'taxi.hailed'],
  worldEvents: [
    { name: 'taxi-stopped', happened: (before, now) => before.get('taxi.stopped') === 0 && now.get('taxi.stopped') > 0 },
    { name: 'doors-closed', happened: (before, now) => before.get('elevator.upper-door') > 0.9 && now.get('elevator.upper-door') <= 0.9 && now.get('elevator.selected') === 0 },
    { name: 'doors-opened', happened: (before, now) => before.get('elevator.upper-door') < 0.95 && now.get('elevator.upper-door') >= 0.95 },
  ],
  root: task('commute', [
    method('office-to-taxi', [
      skill({
        name: 'leave-office',
        budget: 20,
        navigate: true,
        subgoal: () => ({ target: [OFFICE_DOOR.x + 0.6, 0], via: true }),
        success: (s) => pose(s).x > OFFICE_DOOR.x + 0.35,
      }),
      task('get-down', [byElevator(''), byElevator('-again'), byRamp]),
      leaveCar,
      skill({
        name: 'to-front-door',
        budget: 25,
        navigate: true,
        subgoal: () => ({ target: [FRONT_DOOR.x - 0.7, 0], face: [FRONT_DOOR.x + 1, 0] }),
        success: (s) => near(s, FRONT_DOOR.x - 0.7, 0, 0.25) && facing(s, 0, 0.4),
      }),
      skill({
        name: 'go-outside',
        budget: 15,
        subgoal: () => ({ target: [FRONT_DOOR.x + 0.8, 0], via: true, speed: 0.5 }),
        success: (s) => pose(s).x > FRONT_DOOR.x + 0.45,
      }),
      skill({
        name: 'hail-taxi',
        budget: 45,
        idle: true,
        subgoal: () => ({ target: [(CURB_ZONE.min[0] + CURB_ZONE.max[0]) / 2, 0], speed: 0.5 }),
        success: (s) => s.get('taxi.stopped') > 0,
      }),
      skill({
        name: 'board-taxi',
        budget: 30,
        navigate: true,
        subgoal: (s) => ({ target: [TAXI_DOOR_X, s.get('taxi.y')], speed: 0.5 }),
        success: (s) => near(s, TAXI_DOOR_X, s.get('taxi.y'), 0.3),
      }),
    ]),
  ]),
});
