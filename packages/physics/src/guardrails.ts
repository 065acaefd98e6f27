// Guardrail residuals every scenario gets from the env (see DEFAULT_GUARDRAILS in core).
import { DEFAULT_SPEED_CAP, jointLimitIntrusion, keepOutDepth, type Region, type Residuals } from '@itinera/core';
import type { PhysicsWorld } from './physics-world.js';

export interface GuardrailSetup {
  limits: Array<{ index: number; lower: number; upper: number }>;
  keepOut: Region[];
  speedCap: number;
  floating: boolean;
}

export function guardrailSetup(world: PhysicsWorld, speedCap = DEFAULT_SPEED_CAP): GuardrailSetup {
  const limits = world.layout.joints.flatMap((j, index) =>
    j.joint.limit && j.joint.type !== 'continuous'
      ? [{ index, lower: j.joint.limit.lower, upper: j.joint.limit.upper }]
      : [],
  );
  return { limits, keepOut: world.scene.regions.filter((r) => r.keepOut), speedCap, floating: !world.robot.base.fixed };
}

export function guardrailResiduals(world: PhysicsWorld, setup: GuardrailSetup): Residuals {
  const q = setup.limits.length > 0 ? world.jointPositions() : undefined;
  const jointLimit = setup.limits.map(({ index, lower, upper }) => jointLimitIntrusion(q![index], lower, upper));
  let speed = 0;
  if (setup.floating) {
    const [vx, vy, vz] = world.baseVelocity();
    speed = Math.max(0, Math.hypot(vx, vy, vz) - setup.speedCap);
  }
  const base = setup.keepOut.length > 0 ? world.basePosition() : undefined;
  const keepOut = setup.keepOut.map((r) => keepOutDepth(r, base!));
  return { effort: Float64Array.from(world.effort), 'joint-limit': jointLimit, collision: [world.obstacleContacts()], speed: [speed], 'keep-out': keepOut };
}
