// The YAML robot format: RobotSpec's own field names, strict objects (typos are errors) and defaults
// for the fields most robots leave alone. Only structure is checked here; meaning is checked by
// validate.ts, which a URDF importer shares.
import { z } from 'zod';

const num = z.number();
const vec3 = z.tuple([num, num, num]);
const zeros = (): [number, number, number] => [0, 0, 0];

const poseSchema = z.strictObject({
  xyz: vec3.default(zeros),
  rpy: vec3.default(zeros),
});
const identityPose = () => ({ xyz: zeros(), rpy: zeros() });

const shapeSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('box'), size: vec3 }),
  z.strictObject({ type: z.literal('sphere'), radius: num }),
  z.strictObject({ type: z.literal('cylinder'), radius: num, length: num }),
  z.strictObject({ type: z.literal('capsule'), radius: num, length: num }),
]);

const geomSchema = z.strictObject({
  shape: shapeSchema,
  origin: poseSchema.default(identityPose),
  friction: num.optional(),
});

const inertiaSchema = z.strictObject({
  ixx: num,
  iyy: num,
  izz: num,
  // Off-diagonal terms are zero when the inertial frame is aligned with the principal axes.
  ixy: num.default(0),
  ixz: num.default(0),
  iyz: num.default(0),
});

export const linkSchema = z.strictObject({
  name: z.string(),
  mass: num,
  inertialOrigin: poseSchema.optional(),
  inertia: inertiaSchema.optional(),
  collisions: z.array(geomSchema).default(() => []),
});

export const jointSchema = z.strictObject({
  name: z.string(),
  type: z.enum(['revolute', 'continuous', 'prismatic', 'fixed']),
  parent: z.string(),
  child: z.string(),
  origin: poseSchema.default(identityPose),
  axis: vec3.default((): [number, number, number] => [0, 0, 1]),
  limit: z.strictObject({ lower: num, upper: num }).optional(),
  damping: num.default(0),
  friction: num.optional(),
  velocity: num.optional(),
  mimic: z.strictObject({ joint: z.string(), multiplier: num.default(1), offset: num.default(0) }).optional(),
});

export const actuatorSchema = z.strictObject({
  name: z.string(),
  joint: z.string(),
  limit: num,
  // A PD servo: the command is a target in `range` (see ServoSpec in core).
  servo: z.strictObject({ kind: z.enum(['position', 'velocity']), kp: num.default(0), kv: num.default(0), range: z.tuple([num, num]) }).optional(),
});

const sensorsSchema = z.strictObject({
  rays: z.strictObject({ link: z.string(), count: num, range: num, offset: vec3.default(zeros) }).optional(),
  contacts: z.array(z.string()).optional(),
});

export const robotFileSchema = z.strictObject({
  name: z.string(),
  base: z.strictObject({ link: z.string(), fixed: z.boolean(), pose: poseSchema.default(identityPose) }),
  links: z.array(linkSchema),
  joints: z.array(jointSchema).default(() => []),
  actuators: z.array(actuatorSchema).default(() => []),
  sensors: sensorsSchema.default(() => ({})),
  endEffector: z.strictObject({ link: z.string(), point: vec3.default(zeros) }).optional(),
  initialJoints: z.record(z.string(), num).optional(),
  physics: z.strictObject({ gravity: vec3.optional(), timestep: num.optional() }).optional(),
  // Static bodies around the robot, added to every scenario's scene (RobotSpec.scene).
  scene: z.array(z.strictObject({ name: z.string(), geoms: z.array(geomSchema), pose: poseSchema.default(identityPose) })).optional(),
});

/** What a robot YAML file may contain (before defaults). */
export type RobotFile = z.input<typeof robotFileSchema>;

/** The list sections whose elements are named, and what one element is called in messages. */
export const NAMED_SECTIONS = { links: 'link', joints: 'joint', actuators: 'actuator' } as const;
export type NamedSection = keyof typeof NAMED_SECTIONS;
export const ELEMENT_SCHEMAS = { links: linkSchema, joints: jointSchema, actuators: actuatorSchema } as const;
