// The scripted actors of commute-v1 as plain data advanced once per control step: the elevator (answers the call
// button, carries the rover down, its doors wait while the rover is in the doorway), the taxi (comes when hailed
// from the curb zone, stops at a seeded place), a person crossing the corridor. Env snapshots copy all of it.
import type { Vec3, WorldView } from '@itinera/core';
import { CALL_PLATE, CAR, CAR_PLATE, CURB_ZONE, LOWER, LOWER_DOOR, TAXI, UPPER_DOOR } from './layout.js';

export type ElevatorPhase = 'waiting' | 'up' | 'open-upper' | 'closing-upper' | 'idle-upper' | 'down' | 'open-lower';

export interface ElevatorState {
  /** Top of the car floor (0 upstairs, LOWER downstairs). */
  z: number;
  phase: ElevatorPhase;
  /** Door openings, 0 closed … 1 open. */
  upperDoor: number;
  lowerDoor: number;
  called: boolean;
  calledAt: number;
  /** The ground-floor button was pressed inside the car. */
  selected: boolean;
  outOfService: boolean;
  /** The out-of-service sign lit up when the call button was pressed. */
  outShown: boolean;
  /** Seconds from the call to the car's departure (an elevator arriving late). */
  delay: number;
  openedAt: number;
}

export interface TaxiState {
  y: number;
  speed: number;
  stopY: number;
  inZoneSince: number;
  hailed: boolean;
  hailedAt: number;
  delay: number;
  stopped: boolean;
}

export interface PersonState {
  x: number;
  y: number;
  startAt: number;
  /** Where it stands still for `pause` seconds, in the robot's way. */
  pauseY: number;
  pause: number;
  pausedAt: number;
  phase: 'away' | 'walking' | 'gone';
}

export interface ActorsState {
  time: number;
  elevator: ElevatorState;
  taxi: TaxiState;
  person: PersonState;
}

const CAR_SPEED = 0.25;
const DOOR_SECONDS = 1;
const DWELL = 15;
const HAIL_SECONDS = 1;
const TAXI_SPEED = 3;
const TAXI_BRAKE = 1.5;
const PERSON_SPEED = 0.5;
/** The person's radius (0.18 m) plus the rover's reach from its centre (~0.4 m), with a margin. */
const PERSON_CLEARANCE = 0.7;
const AWAY: Vec3 = [0, 0, -5];

const inside = (v: number, lo: number, hi: number) => v >= lo && v <= hi;

export function roverInCar(p: Vec3): boolean {
  return inside(p[0], CAR.xMin + 0.2, CAR.xMax) && inside(p[1], CAR.yMin, CAR.yMax);
}

function inUpperDoorway(p: Vec3): boolean {
  return inside(p[0], UPPER_DOOR.x - 0.45, CAR.xMin + 0.2) && inside(p[1], UPPER_DOOR.yMin - 0.15, UPPER_DOOR.yMax + 0.15) && p[2] > -0.3;
}

/** Whether the paddle tip presses the call plate (its face looks toward −x). */
function pressesCall(tip: Vec3): boolean {
  const p = CALL_PLATE;
  return tip[0] >= p.face - 0.03 && tip[0] <= p.face + 0.1 && inside(tip[1], p.yMin - 0.03, p.yMax + 0.03) && inside(tip[2], p.zMin - 0.05, p.zMax + 0.05);
}

/** Whether the paddle tip presses the car's button (its face looks toward −y; heights from the car floor). */
function pressesCar(tip: Vec3, carZ: number): boolean {
  const p = CAR_PLATE;
  return tip[1] >= p.face - 0.03 && tip[1] <= p.face + 0.1 && inside(tip[0], p.xMin - 0.03, p.xMax + 0.03) && inside(tip[2] - carZ, p.zMin - 0.05, p.zMax + 0.05);
}

export function inCurbZone(p: Vec3): boolean {
  return inside(p[0], CURB_ZONE.min[0], CURB_ZONE.max[0]) && inside(p[1], CURB_ZONE.min[1], CURB_ZONE.max[1]) && p[2] < LOWER + 0.5;
}

/** Advances every actor by dt and returns where the kinematic bodies go. */
export function advanceActors(view: WorldView, s: ActorsState, dt: number): Array<{ body: string; xyz: Vec3; teleport?: boolean }> {
  s.time += dt;
  const base = view.basePosition();
  const tip = view.endEffectorPosition();
  stepElevator(s.elevator, s.time, dt, base, tip);
  stepTaxi(s.taxi, s.time, dt, base);
  const person = stepPerson(s.person, s.time, dt, base);
  const e = s.elevator;
  return [
    { body: 'car-floor', xyz: [(CAR.xMin + CAR.xMax) / 2, (CAR.yMin + CAR.yMax) / 2, e.z - 0.05] },
    { body: 'car-panel', xyz: [(CAR_PLATE.xMin + CAR_PLATE.xMax) / 2, (CAR_PLATE.face + CAR.yMax - 0.01) / 2, e.z + 0.25] },
    { body: 'door-upper', xyz: [UPPER_DOOR.x, (UPPER_DOOR.yMin + UPPER_DOOR.yMax) / 2, UPPER_DOOR.height / 2 - (UPPER_DOOR.height + 0.05) * e.upperDoor] },
    { body: 'door-lower', xyz: [LOWER_DOOR.x, (LOWER_DOOR.yMin + LOWER_DOOR.yMax) / 2, LOWER + LOWER_DOOR.height / 2 - (LOWER_DOOR.height + 0.05) * e.lowerDoor] },
    { body: 'taxi', xyz: [TAXI.x, s.taxi.y, LOWER + 0.05 + TAXI.height / 2] },
    person,
  ];
}

function stepElevator(e: ElevatorState, time: number, dt: number, base: Vec3, tip: Vec3): void {
  if (pressesCall(tip)) {
    if (e.outOfService) e.outShown = true;
    else if (!e.called) {
      e.called = true;
      e.calledAt = time;
    }
  }
  if (pressesCar(tip, e.z) && roverInCar(base) && e.z > -0.01) e.selected = true;
  const doorway = inUpperDoorway(base);
  switch (e.phase) {
    case 'waiting':
      if (e.called && time >= e.calledAt + e.delay) e.phase = 'up';
      break;
    case 'up':
      e.z = Math.min(0, e.z + CAR_SPEED * dt);
      if (e.z >= 0) {
        e.phase = 'open-upper';
        e.openedAt = time;
      }
      break;
    case 'open-upper':
      e.upperDoor = Math.min(1, e.upperDoor + dt / DOOR_SECONDS);
      // Leave once the rover is in and has pressed; give up after a dwell if nobody comes (the call is then cleared).
      if (!doorway && ((e.selected && roverInCar(base)) || (time - e.openedAt > DWELL && !roverInCar(base)))) e.phase = 'closing-upper';
      break;
    case 'closing-upper':
      if (doorway) {
        e.phase = 'open-upper';
        break;
      }
      e.upperDoor = Math.max(0, e.upperDoor - dt / DOOR_SECONDS);
      if (e.upperDoor === 0) {
        e.phase = e.selected ? 'down' : 'idle-upper';
        if (!e.selected) e.called = false;
      }
      break;
    case 'idle-upper':
      if (e.called) {
        e.phase = 'open-upper';
        e.openedAt = time;
      }
      break;
    case 'down':
      e.z = Math.max(LOWER, e.z - CAR_SPEED * dt);
      if (e.z <= LOWER) e.phase = 'open-lower';
      break;
    case 'open-lower':
      e.lowerDoor = Math.min(1, e.lowerDoor + dt / DOOR_SECONDS);
      break;
  }
}

function stepTaxi(t: TaxiState, time: number, dt: number, base: Vec3): void {
  if (!t.hailed) {
    if (!inCurbZone(base)) t.inZoneSince = NaN;
    else if (Number.isNaN(t.inZoneSince)) t.inZoneSince = time;
    else if (time - t.inZoneSince >= HAIL_SECONDS) {
      t.hailed = true;
      t.hailedAt = time;
    }
    return;
  }
  if (t.stopped || time < t.hailedAt + t.delay) return;
  // Cruise, then brake to stop exactly at stopY.
  const left = t.stopY - t.y;
  t.speed = Math.min(TAXI_SPEED, Math.sqrt(2 * TAXI_BRAKE * Math.max(0, left)));
  t.y = Math.min(t.stopY, t.y + Math.max(0.05, t.speed) * dt);
  if (t.stopY - t.y < 1e-3) {
    t.y = t.stopY;
    t.speed = 0;
    t.stopped = true;
  }
}

function stepPerson(p: PersonState, time: number, dt: number, robot: Vec3): { body: string; xyz: Vec3; teleport?: boolean } {
  const at = (): Vec3 => [p.x, p.y, 0.43];
  if (p.phase === 'away') {
    if (time < p.startAt) return { body: 'person', xyz: AWAY, teleport: true };
    p.phase = 'walking';
    return { body: 'person', xyz: at(), teleport: true };
  }
  if (p.phase === 'gone') return { body: 'person', xyz: AWAY, teleport: true };
  const pausing = p.y >= p.pauseY && (Number.isNaN(p.pausedAt) || time < p.pausedAt + p.pause);
  if (pausing && Number.isNaN(p.pausedAt)) p.pausedAt = time;
  // People do not walk into a robot (an unstoppable kinematic body would flip it): wait while it is in the way.
  const blocked = robot[1] > p.y && Math.hypot(robot[0] - p.x, robot[1] - (p.y + PERSON_SPEED * dt)) < PERSON_CLEARANCE;
  if (!pausing && !blocked) p.y += PERSON_SPEED * dt;
  if (p.y > 1.1) {
    p.phase = 'gone';
    return { body: 'person', xyz: AWAY, teleport: true };
  }
  return { body: 'person', xyz: at() };
}
