// The commute-v1 building. Upper storey (floor top z = 0, where the rover starts): an office opening east onto a
// corridor that ends at the elevator. Lower storey (floor top z = −1): the lobby east of the elevator shaft, the
// building's front wall with its exit, a sidewalk and the road where the taxi drives along y. The elevator-out
// variant adds a ramp from a landing north of the corridor down into the lobby.
import type { Region, SceneBody, Vec3 } from '@itinera/core';

export const LOWER = -1;
const WALL_H = 0.5;
const T = 0.1;

// Elevator: car interior, door openings, buttons. The car's floor top sits at 0 (up) or LOWER (down).
export const CAR = { xMin: 7.6, xMax: 9.0, yMin: -0.75, yMax: 0.75 };
export const UPPER_DOOR = { x: 7.55, yMin: -0.45, yMax: 0.45, height: 0.5 };
export const LOWER_DOOR = { x: 9.05, yMin: -0.45, yMax: 0.45, height: 0.8 };
/** The call button plate beside the upper doors: its face (x) and extent. */
export const CALL_PLATE = { face: 7.48, yMin: 0.5, yMax: 0.7, zMin: 0.26, zMax: 0.46 };
/** The ground-floor button on the car's north wall, facing −y (moves with the car; z relative to the car floor). */
export const CAR_PLATE = { face: 0.69, xMin: 8.05, xMax: 8.55, zMin: 0.26, zMax: 0.46 };
export const OFFICE_DOOR = { x: 1.55, yMin: -0.5, yMax: 0.5 };
export const FRONT_DOOR = { x: 13.05, yMin: -0.6, yMax: 0.6 };
/** The curb runs along x = CURB_X; the road beyond is keep-out for the robot. */
export const CURB_X = 15;
export const TAXI = { x: 15.6, length: 2.0, width: 0.9, height: 0.6, parkedY: -14 };
/** Ramp (elevator-out variant): landing north of the corridor, slope east into the lobby. */
export const RAMP = { openingXMin: 4.6, openingXMax: 5.8, yMin: 1.3, yMax: 2.4, xTop: 5.8, xFoot: 11.8 };

export const CURB_ZONE: Region = { name: 'curb-zone', min: [14.2, -1.0, LOWER], max: [14.95, 1.0, LOWER + 1] };
export const ROAD: Region = { name: 'road', min: [CURB_X + 0.05, -20, LOWER - 0.5], max: [18, 20, LOWER + 1], keepOut: true };

/** A box from min to max corners. */
function slab(name: string, min: Vec3, max: Vec3, extra: Partial<SceneBody> = {}): SceneBody {
  const centre: Vec3 = [(min[0] + max[0]) / 2, (min[1] + max[1]) / 2, (min[2] + max[2]) / 2];
  const size: Vec3 = [max[0] - min[0], max[1] - min[1], max[2] - min[2]];
  return { name, pose: { xyz: centre, rpy: [0, 0, 0] }, geoms: [{ shape: { type: 'box', size }, origin: { xyz: [0, 0, 0], rpy: [0, 0, 0] } }], ...extra };
}

/** Walls with openings: one box per solid stretch. */
function wallAlongX(name: string, y: number, xFrom: number, xTo: number, z0: number, openings: Array<[number, number]> = []): SceneBody[] {
  const cuts = [xFrom, ...openings.flat(), xTo];
  const out: SceneBody[] = [];
  for (let i = 0; i + 1 < cuts.length; i += 2) if (cuts[i + 1] - cuts[i] > 1e-6) out.push(slab(`${name}-${i / 2}`, [cuts[i], y - T / 2, z0], [cuts[i + 1], y + T / 2, z0 + WALL_H]));
  return out;
}

function wallAlongY(name: string, x: number, yFrom: number, yTo: number, z0: number, openings: Array<[number, number]> = []): SceneBody[] {
  const cuts = [yFrom, ...openings.flat(), yTo];
  const out: SceneBody[] = [];
  for (let i = 0; i + 1 < cuts.length; i += 2) if (cuts[i + 1] - cuts[i] > 1e-6) out.push(slab(`${name}-${i / 2}`, [x - T / 2, cuts[i], z0], [x + T / 2, cuts[i + 1], z0 + WALL_H]));
  return out;
}

export function buildingBodies(ramp: boolean): SceneBody[] {
  const walk = { walkable: true };
  const bodies: SceneBody[] = [
    // Floors.
    slab('floor-lower', [-2, -10, LOWER - 0.2], [20, 10, LOWER], walk),
    slab('floor-office', [-1.6, -1.6, -0.1], [1.6, 1.6, 0], walk),
    slab('floor-corridor', [1.6, -1.35, -0.1], [7.5, 1.35, 0], walk),
    // Office and corridor walls.
    ...wallAlongY('office-west', -1.55, -1.6, 1.6, 0),
    ...wallAlongX('office-north', 1.55, -1.6, 1.6, 0),
    ...wallAlongX('office-south', -1.55, -1.6, 1.6, 0),
    ...wallAlongY('office-east', OFFICE_DOOR.x, -1.6, 1.6, 0, [[OFFICE_DOOR.yMin, OFFICE_DOOR.yMax]]),
    ...wallAlongX('corridor-north', 1.3, 1.6, 7.5, 0, ramp ? [[RAMP.openingXMin, RAMP.openingXMax]] : []),
    ...wallAlongX('corridor-south', -1.3, 1.6, 7.5, 0),
    // Shaft: the sill below the upper doors is floor; stubs beside the doors; side walls over both storeys.
    slab('shaft-sill', [7.5, -0.85, LOWER], [7.6, 0.85, 0], walk),
    slab('shaft-west-north', [7.5, UPPER_DOOR.yMax, 0], [7.6, 1.35, WALL_H]),
    slab('shaft-west-south', [7.5, -1.35, 0], [7.6, UPPER_DOOR.yMin, WALL_H]),
    slab('shaft-north', [7.5, CAR.yMax + 0.01, LOWER], [9.1, CAR.yMax + 0.11, WALL_H]),
    slab('shaft-south', [7.5, CAR.yMin - 0.11, LOWER], [9.1, CAR.yMin - 0.01, WALL_H]),
    slab('shaft-east-upper', [9.0, -0.85, LOWER + LOWER_DOOR.height], [9.1, 0.85, WALL_H]),
    slab('shaft-east-stub-north', [9.0, LOWER_DOOR.yMax, LOWER], [9.1, 0.85, LOWER + LOWER_DOOR.height]),
    slab('shaft-east-stub-south', [9.0, -0.85, LOWER], [9.1, LOWER_DOOR.yMin, LOWER + LOWER_DOOR.height]),
    slab('call-plate', [CALL_PLATE.face, CALL_PLATE.yMin, CALL_PLATE.zMin], [7.5, CALL_PLATE.yMax, CALL_PLATE.zMax]),
    // Scripted actors, placed by the task at reset: car floor, its button post, the two doors, the taxi, a person.
    slab('car-floor', [CAR.xMin + 0.01, CAR.yMin + 0.01, LOWER - 0.1], [CAR.xMax - 0.01, CAR.yMax - 0.01, LOWER], { kinematic: true, walkable: true }),
    slab('car-panel', [CAR_PLATE.xMin, CAR_PLATE.face, LOWER], [CAR_PLATE.xMax, CAR.yMax - 0.01, LOWER + 0.5], { kinematic: true }),
    slab('door-upper', [UPPER_DOOR.x - 0.03, UPPER_DOOR.yMin, 0], [UPPER_DOOR.x + 0.03, UPPER_DOOR.yMax, UPPER_DOOR.height], { kinematic: true }),
    slab('door-lower', [LOWER_DOOR.x - 0.03, LOWER_DOOR.yMin, LOWER], [LOWER_DOOR.x + 0.03, LOWER_DOOR.yMax, LOWER + LOWER_DOOR.height], { kinematic: true }),
    slab('taxi', [TAXI.x - TAXI.width / 2, TAXI.parkedY - TAXI.length / 2, LOWER + 0.05], [TAXI.x + TAXI.width / 2, TAXI.parkedY + TAXI.length / 2, LOWER + 0.05 + TAXI.height], { kinematic: true }),
    {
      name: 'person',
      kinematic: true,
      pose: { xyz: [0, 0, -5], rpy: [0, 0, 0] },
      geoms: [{ shape: { type: 'capsule', radius: 0.18, length: 0.5 }, origin: { xyz: [0, 0, 0], rpy: [0, 0, 0] } }],
    },
    // Lower storey: the building's front wall with its exit.
    ...wallAlongY('front', FRONT_DOOR.x, -4, 4, LOWER, [[FRONT_DOOR.yMin, FRONT_DOOR.yMax]]),
  ];
  if (ramp) bodies.push(...rampBodies());
  return bodies;
}

/** A landing north of the corridor, a 1:6 slope down to the lobby, and rails along both sides. */
function rampBodies(): SceneBody[] {
  const length = RAMP.xFoot - RAMP.xTop;
  const pitch = Math.atan2(-LOWER, length);
  const slope = Math.hypot(length, LOWER);
  const midY = (RAMP.yMin + RAMP.yMax) / 2;
  const width = RAMP.yMax - RAMP.yMin;
  // A tilted plate whose top surface runs from (xTop, 0) to (xFoot, LOWER); pitch about y, nose down toward +x.
  const plate = (name: string, y: number, w: number, thick: number, lift: number, walkable: boolean): SceneBody => {
    const along = slope / 2;
    const cx = RAMP.xTop + (along * length) / slope + (Math.sin(pitch) * (lift - thick / 2));
    const cz = (LOWER / 2) + Math.cos(pitch) * (lift - thick / 2);
    return { name, pose: { xyz: [cx, y, cz], rpy: [0, pitch, 0] }, geoms: [{ shape: { type: 'box', size: [slope + 0.05, w, thick] }, origin: { xyz: [0, 0, 0], rpy: [0, 0, 0] } }], ...(walkable && { walkable }) };
  };
  return [
    slab('floor-landing', [RAMP.openingXMin - 0.1, 1.35, -0.1], [RAMP.xTop, RAMP.yMax + 0.1, 0], { walkable: true }),
    ...wallAlongX('landing-north', RAMP.yMax + 0.15, RAMP.openingXMin - 0.1, RAMP.xTop, 0),
    ...wallAlongY('landing-west', RAMP.openingXMin - 0.15, 1.3, RAMP.yMax + 0.2, 0),
    plate('ramp', midY, width + 0.1, 0.1, 0, true),
    plate('ramp-rail-north', RAMP.yMax + 0.15, 0.1, 0.4, 0.3, false),
    plate('ramp-rail-south', RAMP.yMin - 0.05, 0.1, 0.4, 0.3, false),
  ];
}
