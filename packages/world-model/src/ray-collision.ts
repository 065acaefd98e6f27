// The collision guardrail on a learned model. The simulator counts the robot's links touching obstacles; a model
// decodes no contacts, so the obstacles come from the start observation's ray ring (walls as surfaces between
// neighbouring hits, a person as a lone hit) and each imagined base pose is charged for how deep the base's
// footprint reaches into them. The model need not have learned that walls stop the robot for its plans to keep off them.
import { footprintIntrusion, linkFootprint, obstaclePoints, rayHits, yawOf, type PlanarBox, type RobotSpec, type WorldView } from '@itinera/core';

/** Intrusion (m) charged as one link touching, the simulator's unit of the collision residual. */
const TOUCH_DEPTH = 0.02;
/** Obstacles farther than this from the start (m) are out of the footprint's reach within a plan's horizon (0.3 s). */
const NEAR = 1;

type Observation = ArrayLike<number>;

export class RayCollision {
  private constructor(
    private readonly box: PlanarBox,
    private readonly columns: { rays: number[]; x: number; y: number; q: number[] },
    private readonly range: number,
    private readonly offset: readonly [number, number],
  ) {}

  /** For a robot whose base carries a ray ring that the observation reads in full; otherwise undefined. */
  static of(robot: RobotSpec, observationNames: readonly string[]): RayCollision | undefined {
    const ring = robot.sensors.rays;
    const box = linkFootprint(robot, robot.base.link);
    if (!ring || ring.link !== robot.base.link || !box) return undefined;
    const index = (name: string) => observationNames.indexOf(name);
    const rays = Array.from({ length: ring.count }, (_, k) => index(`ray.${k}`));
    const q = ['base.qx', 'base.qy', 'base.qz', 'base.qw'].map(index);
    if ([...rays, ...q, index('base.x'), index('base.y')].some((i) => i < 0)) return undefined;
    return new RayCollision(box, { rays, x: index('base.x'), y: index('base.y'), q }, ring.range, [ring.offset[0], ring.offset[1]]);
  }

  /** The obstacles seen in `start` (a plan's start observation), and the collision residual of imagined states. */
  obstacles(start: Observation): { depth(view: WorldView): number } {
    const c = this.columns;
    const base = { x: start[c.x], y: start[c.y], yaw: yawOf(c.q.map((i) => start[i])) };
    const origin = { ...base, x: base.x + Math.cos(base.yaw) * this.offset[0] - Math.sin(base.yaw) * this.offset[1], y: base.y + Math.sin(base.yaw) * this.offset[0] + Math.cos(base.yaw) * this.offset[1] };
    const hits = rayHits(Float64Array.from(c.rays, (i) => start[i]), origin, this.range);
    const points = obstaclePoints(hits, [base.x, base.y], NEAR);
    return {
      depth: (view) => {
        if (points.length === 0) return 0;
        const [x, y] = view.basePosition();
        return footprintIntrusion(points, this.box, { x, y, yaw: yawOf(view.baseQuaternion()) }, TOUCH_DEPTH) / TOUCH_DEPTH;
      },
    };
  }
}
