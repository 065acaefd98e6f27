// The rooms-v1 task tree: cross each dividing wall through an open doorway (the method per doorway applies only
// when its door is open), then reach the goal. Each crossing is approach-then-pass, so the rover lines up first.
import { basePose, defineTaskTree, method, skill, task, type Situation, type TaskTree } from '@itinera/hierarchy';
import { DOOR_Y, ROOMS, SIDES, wallX, type Side } from './layout.js';

/** Within this distance of the goal (m) the task is done. */
export const GOAL_RADIUS = 0.3;

export const doorChannel = (w: number, side: Side): string => `rooms.door.${w}.${side}`;
const near = (s: Situation, x: number, y: number, radius: number) => {
  const p = basePose(s);
  return Math.hypot(p.x - x, p.y - y) < radius;
};

function crossWall(w: number) {
  const x = wallX(w);
  return task(
    `cross-${w}`,
    SIDES.map((side) =>
      method(
        `door-${w}-${side}`,
        [
          skill({
            name: `approach-${w}-${side}`,
            budget: 20,
            navigate: true,
            subgoal: () => ({ target: [x - 0.6, DOOR_Y[side]], via: true }),
            success: (s) => near(s, x - 0.6, DOOR_Y[side], 0.25),
            failure: (s) => (s.get(doorChannel(w, side)) > 0 ? undefined : 'door closed'),
          }),
          skill({
            name: `pass-${w}-${side}`,
            budget: 10,
            subgoal: () => ({ target: [x + 0.7, DOOR_Y[side]], via: true }),
            success: (s) => basePose(s).x > x + 0.45,
          }),
        ],
        (s) => s.get(doorChannel(w, side)) > 0,
      ),
    ),
  );
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
