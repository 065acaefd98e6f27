// The floor plan of rooms-v1: four 3 m rooms in a row along x, the rover starting in the middle of the first.
// Each dividing wall has two 1 m doorways, left (+y) and right (−y), with a solid post between them on the
// straight line to the goal; per seed a sliding panel may close one of them.
import type { SceneBody, Vec3 } from '@itinera/core';

export const ROOM = 3;
export const ROOMS = 4;
export const WALL = 0.1;
export const WALL_HEIGHT = 0.5;
export const DOOR_WIDTH = 1.0;
/** Doorway centres on each dividing wall: left (+y) and right (−y). */
export const DOOR_Y = { left: 0.85, right: -0.85 } as const;
export type Side = keyof typeof DOOR_Y;
export const SIDES: readonly Side[] = ['left', 'right'];
/** x of dividing wall w (1…ROOMS−1). */
export const wallX = (w: number): number => -ROOM / 2 + ROOM * w;
export const X_MIN = -ROOM / 2;
export const X_MAX = -ROOM / 2 + ROOM * ROOMS;

function box(name: string, centre: Vec3, size: Vec3, kinematic = false): SceneBody {
  return { name, pose: { xyz: centre, rpy: [0, 0, 0] }, geoms: [{ shape: { type: 'box', size }, origin: { xyz: [0, 0, 0], rpy: [0, 0, 0] } }], ...(kinematic && { kinematic }) };
}

const z = WALL_HEIGHT / 2;

export function roomsBodies(): SceneBody[] {
  const bodies: SceneBody[] = [];
  const half = ROOM / 2 + WALL / 2;
  const length = X_MAX - X_MIN + WALL;
  const cx = (X_MIN + X_MAX) / 2;
  bodies.push(box('wall-north', [cx, half, z], [length + WALL, WALL, WALL_HEIGHT]));
  bodies.push(box('wall-south', [cx, -half, z], [length + WALL, WALL, WALL_HEIGHT]));
  bodies.push(box('wall-west', [X_MIN - WALL / 2, 0, z], [WALL, ROOM, WALL_HEIGHT]));
  bodies.push(box('wall-east', [X_MAX + WALL / 2, 0, z], [WALL, ROOM, WALL_HEIGHT]));
  for (let w = 1; w < ROOMS; w++) {
    const x = wallX(w);
    const post = DOOR_Y.left - DOOR_WIDTH / 2;
    const edge = DOOR_Y.left + DOOR_WIDTH / 2;
    // The post between the doorways, and the short stubs between the doorways and the outer walls.
    bodies.push(box(`wall-${w}-post`, [x, 0, z], [WALL, 2 * post, WALL_HEIGHT]));
    bodies.push(box(`wall-${w}-stub-left`, [x, (edge + ROOM / 2) / 2, z], [WALL, ROOM / 2 - edge, WALL_HEIGHT]));
    bodies.push(box(`wall-${w}-stub-right`, [x, -(edge + ROOM / 2) / 2, z], [WALL, ROOM / 2 - edge, WALL_HEIGHT]));
    for (const side of SIDES) bodies.push(box(doorName(w, side), doorPose(w, side, false), [WALL, DOOR_WIDTH, WALL_HEIGHT], true));
  }
  return bodies;
}

export function doorName(w: number, side: Side): string {
  return `door-${w}-${side}`;
}

/** A closed panel fills its doorway; an open one is parked below the floor. */
export function doorPose(w: number, side: Side, open: boolean): Vec3 {
  return [wallX(w), DOOR_Y[side], open ? -1 : z];
}
