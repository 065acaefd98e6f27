// Guardrail residuals every scenario gets from the env (see DEFAULT_GUARDRAILS in core).
import { DEFAULT_SPEED_CAP, jointLimitIntrusion, keepOutDepth, type Region, type Residuals } from '@itinera/core';
import type { PhysicsWorld } from './physics-world.js';

export interface GuardrailSetup {
  limits: Array<{ index: number; lower: number; upper: number }>;
  keepOut: Region[];
  speedCap: number;
  floating: boolean;
  /** The residuals' arrays, refilled every step: the env sums them before the next step (a planner's copy steps ~10⁵ times a second). */
  buffers: { jointLimit: Float64Array; collision: Float64Array; speed: Float64Array; keepOut: Float64Array };
}

export function guardrailSetup(world: PhysicsWorld, speedCap = DEFAULT_SPEED_CAP): GuardrailSetup {
  const limits = world.layout.joints.flatMap((j, index) =>
    j.joint.limit && j.joint.type !== 'continuous'
      ? [{ index, lower: j.joint.limit.lower, upper: j.joint.limit.upper }]
      : [],
  );
  const keepOut = world.scene.regions.filter((r) => r.keepOut);
  const buffers = {
    jointLimit: new Float64Array(limits.length),
    collision: new Float64Array(1),
    speed: new Float64Array(1),
    keepOut: new Float64Array(keepOut.length),
  };
  return { limits, keepOut, speedCap, floating: !world.robot.base.fixed, buffers };
}

/** The guardrails' residuals now, in a new object over the setup's reused arrays (valid until the next call). */
export function guardrailResiduals(world: PhysicsWorld, setup: GuardrailSetup): Residuals {
  const { jointLimit, collision, speed, keepOut } = setup.buffers;
  if (setup.limits.length > 0) {
    const q = world.jointPositions();
    setup.limits.forEach(({ index, lower, upper }, k) => (jointLimit[k] = jointLimitIntrusion(q[index], lower, upper)));
  }
  speed[0] = 0;
  if (setup.floating) {
    const [vx, vy, vz] = world.baseVelocity();
    speed[0] = Math.max(0, Math.hypot(vx, vy, vz) - setup.speedCap);
  }
  collision[0] = world.obstacleContacts();
  if (setup.keepOut.length > 0) {
    const base = world.basePosition();
    setup.keepOut.forEach((r, k) => (keepOut[k] = keepOutDepth(r, base)));
  }
  return { effort: world.effort, 'joint-limit': jointLimit, collision, speed, 'keep-out': keepOut };
}
