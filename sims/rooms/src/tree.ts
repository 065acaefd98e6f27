// The rooms-v1 task tree: cross each dividing wall through an open doorway (the method per doorway applies only
// when its door is open), then reach the goal. Each crossing is approach-then-pass, so the rover lines up first.
import { defineTaskTree, method, skill, task, type Situation, type TaskTree } from '@itinera/core';
import { basePose } from '@itinera/rover';
import { DOOR_Y, ROOMS, SIDES, wallX, type Side } from './layout.js';

/** Within this distance of the goal (m) the task is done. */
export const GOAL_RADIUS = 0.3;

export const doorChannel = (w: number, side: Side): string => `rooms.door.${w}.${side}`;
const near = (s: Situation, x: number, y: number, radius: number) => {
  const p = basePose(s);
  return Math.hypot(p.x - x, p.y - y) < radius;
};

/** Heading error (rad) of the base against the +x direction it crosses walls in. */
const headingOff = (s: Situation) => Math.abs(basePose(s).yaw);

/** Line up in front of the doorway facing through it, then drive through; `tag` keeps retried skills' names unique. */
function throughDoor(w: number, side: Side, tag: string) {
  const x = wallX(w);
  const y = DOOR_Y[side];
  const open = (s: Situation) => s.get(doorChannel(w, side)) > 0;
  return method(
    `door-${w}-${side}${tag}`,
    [
      skill({
        name: `approach-${w}-${side}${tag}`,
        budget: 20,
        navigate: true,
        subgoal: () => ({ target: [x - 0.7, y], face: [x + 1, y] }),
        success: (s) => near(s, x - 0.7, y, 0.2) && headingOff(s) < 0.4,
        failure: (s) => (open(s) ? undefined : 'door closed'),
      }),
      skill({
        name: `pass-${w}-${side}${tag}`,
        budget: 10,
        subgoal: () => ({ target: [x + 0.9, y], via: true, speed: 0.5 }),
        success: (s) => basePose(s).x > x + 0.45,
      }),
    ],
    open,
  );
}

/** Cross wall w through whichever doorway is open; a failed crossing is retried once per doorway. */
function crossWall(w: number) {
  return task(`cross-${w}`, [...SIDES.map((side) => throughDoor(w, side, '')), ...SIDES.map((side) => throughDoor(w, side, '-retry'))]);
}

export const roomsTree: TaskTree = defineTaskTree({
  name: 'rooms-v1',
  channels: ['base.x', 'base.y', 'base.qw', 'rooms.goal.x', 'rooms.goal.y', ...Array.from({ length: ROOMS - 1 }, (_, i) => SIDES.map((side) => doorChannel(i + 1, side))).flat()],
  root: task('reach-goal', [
    method('through-doorways', [
      ...Array.from({ length: ROOMS - 1 }, (_, i) => crossWall(i + 1)),
      skill({
        name: 'goal-pad',
        budget: 20,
        navigate: true,
        subgoal: (s) => ({ target: [s.get('rooms.goal.x'), s.get('rooms.goal.y')] }),
        success: (s) => near(s, s.get('rooms.goal.x'), s.get('rooms.goal.y'), GOAL_RADIUS),
      }),
    ]),
  ]),
});
