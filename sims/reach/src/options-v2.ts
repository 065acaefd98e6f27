import { z } from 'zod';

export const reachV2OptionsSchema = z
  .object({
    tolerance: z.number().positive().default(0.05).describe('Success radius around the target, metres.'),
    settleSpeed: z.number().positive().default(1.0).describe('Success also needs every joint slower than this (rad/s or m/s): settled, not swinging through.'),
    maxSteps: z.number().int().positive().default(200).describe('Episode length in control steps.'),
    spread: z.number().positive().default(Math.PI).describe('Each joint of the target configuration lies within its limits and within ±spread (rad, or m for a slider) of the rest pose.'),
    minDistance: z.number().min(0).default(0.1).describe("Targets lie at least this far from the end effector's position at reset, metres."),
    velocityWeight: z.number().min(0).default(0.02).describe('Weight of the joint-speed cost (quadratic, per rad/s or m/s): high enough that an arm arrives settled rather than swinging through.'),
    gravityCompensation: z.boolean().default(true).describe("The arm's links feel no gravity, as under a gravity-compensating controller (torque-controlled arms such as Franka's hold themselves up this way): the planner's torques move the arm rather than hold it."),
    jointDamping: z.number().min(0).default(0.1).describe("Viscous damping on each actuated joint, as a share of its actuator's limit (N·m·s/rad per N·m): the damping a torque controller injects (and MuJoCo arm models carry), so a planner's torques set speeds (full torque: 1/jointDamping rad/s) instead of building momentum the arm coasts on; a joint's own larger damping stays. 0: only the robot's own."),
    floor: z.boolean().default(false).describe("Whether the arm stands on a floor it can touch. Off by default: many arms' rest poses (a UR5 lying straight out at shoulder height) already press into one, and targets stay above minHeight anyway."),
    minHeight: z.number().default(0.1).describe('Targets lie at least this high above the ground (z), metres.'),
  })
  .strict();

export type ReachV2Options = z.infer<typeof reachV2OptionsSchema>;
