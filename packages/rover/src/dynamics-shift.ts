// The dynamics shifts rover scenarios offer (slippery wheels, a load on the base), as options and as a robot edit.
import { withFriction, withPayload, type RobotSpec } from '@itinera/core';
import { z } from 'zod';

export const roverShiftOptions = {
  friction: z
    .number()
    .gt(0)
    .max(2)
    .optional()
    .describe("Dynamics shift: friction coefficient of the driven wheels (a contact takes the lower of the wheel's and the floor's: floors are 0.8–1.0); unset = the robot's own (the rover's 1.0)."),
  payload: z.number().min(0).max(20).default(0).describe('Dynamics shift: a load (kg) carried at the centre of the base; 0 = none.'),
};

/** Links turned by an actuated continuous joint: a wheeled robot's driven wheels. */
export function drivenWheels(robot: RobotSpec): string[] {
  const driven = new Set(robot.actuators.map((a) => a.joint));
  return robot.joints.filter((j) => j.type === 'continuous' && driven.has(j.name)).map((j) => j.child);
}

/** The robot under the shift `options` asks for (itself when none). */
export function shiftedRover(robot: RobotSpec, options: { friction?: number; payload: number }): RobotSpec {
  const loaded = withPayload(robot, robot.base.link, [0, 0, 0], options.payload);
  return options.friction === undefined ? loaded : withFriction(loaded, drivenWheels(loaded), options.friction);
}
