// Robot and scene descriptions: plain data, SI units, z up. Frames follow URDF:
// a joint's origin places the child link frame in the parent link frame.

export type Vec3 = [number, number, number];

/** Position plus roll-pitch-yaw (radians, fixed axes X then Y then Z, as URDF). */
export interface Pose {
  xyz: Vec3;
  rpy: Vec3;
}

export type Shape =
  | { type: 'box'; size: Vec3 } // full side lengths
  | { type: 'sphere'; radius: number }
  | { type: 'cylinder'; radius: number; length: number } // along the local z axis
  | { type: 'capsule'; radius: number; length: number } // length of the straight part, along z
  /** The convex hull of `points` (a collision mesh); `volume` (m³) is the hull's, for sharing a link's mass. */
  | { type: 'convex'; points: Vec3[]; volume: number };

export interface Geom {
  shape: Shape;
  origin: Pose;
  friction?: number;
}

/** Inertia tensor about the centre of mass, in the inertial frame. */
export interface Inertia {
  ixx: number;
  iyy: number;
  izz: number;
  ixy: number;
  ixz: number;
  iyz: number;
}

export interface LinkSpec {
  name: string;
  mass: number;
  /** Centre-of-mass frame in the link frame; defaults to the link origin. */
  inertialOrigin?: Pose;
  /** When absent, inertia follows from the collision shapes carrying the mass uniformly. */
  inertia?: Inertia;
  collisions: Geom[];
}

export type JointType = 'revolute' | 'continuous' | 'prismatic' | 'fixed';

export interface JointSpec {
  name: string;
  type: JointType;
  parent: string;
  child: string;
  origin: Pose;
  /** Unit axis in the joint (= child link) frame. Ignored for fixed joints. */
  axis: Vec3;
  /** Position limits (rad or m); required for revolute and prismatic. */
  limit?: { lower: number; upper: number };
  /** Viscous damping, N·m·s/rad (or N·s/m). */
  damping: number;
  /** Coulomb friction, N·m (or N): the joint resists motion up to this much. */
  friction?: number;
  /** Largest |velocity| its actuator drives it at, rad/s (or m/s): beyond it, pushing further does nothing. */
  velocity?: number;
  /** This joint follows another: position = multiplier · leader + offset (URDF <mimic>); it has no actuator. */
  mimic?: { joint: string; multiplier: number; offset: number };
}

export interface ActuatorSpec {
  name: string;
  joint: string;
  /** Largest |torque| (N·m) or |force| (N); commands beyond it are clamped. */
  limit: number;
  /** Share of the (clamped) command the motor delivers: below 1 a weak motor; default 1. */
  gain?: number;
  /** A servo (MJCF position or velocity actuator): the command is a target, not a torque. Absent: a torque motor. */
  servo?: ServoSpec;
}

/**
 * A PD law on one joint, as MuJoCo's position and velocity actuators are: position τ = kp·(target − q) − kv·q̇,
 * velocity τ = kv·(target − q̇), at most ±limit. The simulator solves it implicitly inside each physics step (the
 * joint's motor), so stiff gains stay stable at the live step.
 */
export interface ServoSpec {
  kind: 'position' | 'velocity';
  kp: number;
  kv: number;
  /** The command's range (MJCF ctrlrange): rad or m for a position servo, rad/s or m/s for a velocity servo. */
  range: [number, number];
}

/** Lowest and highest command an actuator takes: ±limit for a torque motor, a servo's target range. */
export function commandRange(actuator: ActuatorSpec): [number, number] {
  return actuator.servo ? actuator.servo.range : [-actuator.limit, actuator.limit];
}

/**
 * The command that asks nothing of each actuator: zero torque, zero speed, or a position servo's target at the joint's
 * start position (clamped into its range). Planners start from it and a reset applies it.
 */
export function neutralCommand(robot: Pick<RobotSpec, 'actuators' | 'initialJoints'>): Float64Array {
  return Float64Array.from(robot.actuators, (a) => {
    const [low, high] = commandRange(a);
    const target = a.servo?.kind === 'position' ? (robot.initialJoints?.[a.joint] ?? 0) : 0;
    return Math.min(high, Math.max(low, target));
  });
}

export interface RaySensorSpec {
  /** Link the ring is mounted on; rays lie in that link's x-y plane. */
  link: string;
  count: number;
  range: number;
  /** Mount point in the link frame. */
  offset: Vec3;
}

export interface SensorSpec {
  rays?: RaySensorSpec;
  /** Links whose contact flag is reported; defaults to every link with a collision shape. */
  contacts?: string[];
}

/** A named point and orientation fixed to a link (a URDF frame link such as tool0, merged into its parent). */
export interface FrameSpec {
  name: string;
  link: string;
  /** The frame in the link frame. */
  origin: Pose;
}

export interface RobotSpec {
  name: string;
  /** The root link; `fixed` welds it to the world at `pose`, otherwise it floats. */
  base: { link: string; fixed: boolean; pose: Pose };
  links: LinkSpec[];
  joints: JointSpec[];
  actuators: ActuatorSpec[];
  sensors: SensorSpec;
  /** Named frames on links, usable as end effectors. */
  frames?: FrameSpec[];
  /** The point tasks such as reach move to a target. */
  endEffector?: { link: string; point: Vec3 };
  /** Joint positions (rad or m) the robot starts at, by joint name (an MJCF keyframe); absent joints start at 0. */
  initialJoints?: Record<string, number>;
  /** The physics its file asks for (MJCF <option>): see RobotPhysics. */
  physics?: RobotPhysics;
  /** Static bodies its file places around it (MJCF <worldbody> geometry), added to every scenario's scene. */
  scene?: SceneBody[];
  /** Where the description came from, for error messages. */
  source?: string;
}

/**
 * The world a robot's file asks for: `gravity` (m/s², default 0 0 −9.81), and `timestep`, an integration step (s) the
 * live simulation takes where it is finer than its own (the control step stays; a planner's coarser copy keeps its own).
 */
export interface RobotPhysics {
  gravity?: Vec3;
  timestep?: number;
}

/** Gravity when a robot's file names none (m/s²). */
export const DEFAULT_GRAVITY: Vec3 = [0, 0, -9.81];

/** Static or movable scene geometry. */
export interface SceneBody {
  name: string;
  geoms: Geom[];
  pose: Pose;
  /** Absent or 0: static. */
  mass?: number;
  /** Kinematic bodies are moved by scripted actors, not by forces. */
  kinematic?: boolean;
  /**
   * A static body the robot drives on (an upper floor, a ramp, an elevator car's floor): like the ground it is no
   * obstacle, so touching it does not charge the collision guardrail.
   */
  walkable?: boolean;
}

/** Whether touching `body` charges the collision guardrail: it has no mass and is not walkable; a body with mass is
 * there to be pushed. */
export function isObstacle(body: SceneBody): boolean {
  return !body.mass && body.walkable !== true;
}

/** A named axis-aligned box in the world used by tasks (a goal pad, a curb zone). */
export interface Region {
  name: string;
  min: Vec3;
  max: Vec3;
  /** The robot's base must stay out (a guardrail term measures how deep it is inside). */
  keepOut?: boolean;
}

export interface SceneSpec {
  /** Adds an infinite-ish ground plane at z = 0 when true. */
  ground: boolean;
  bodies: SceneBody[];
  regions: Region[];
  /** Marker points a viewer can draw (targets); no physics. */
  markers?: Array<{ name: string; position: Vec3 }>;
}

/** Largest physics step of the live world (s). */
export const MAX_PHYSICS_DT = 1 / 200;
/** Largest physics step of a planner's simulator copy (s): coarser than the live world, never coarser than this. */
export const MAX_PLANNING_PHYSICS_DT = 1 / 50;

export const IDENTITY_POSE: Pose = Object.freeze({ xyz: [0, 0, 0], rpy: [0, 0, 0] }) as Pose;

export function pose(xyz: Vec3 = [0, 0, 0], rpy: Vec3 = [0, 0, 0]): Pose {
  return { xyz, rpy };
}

/** Degrees of freedom a robot's joints add (a floating base adds 6 more). */
export function jointDof(spec: RobotSpec): number {
  return spec.joints.filter((j) => j.type !== 'fixed').length;
}

/** Volume of a collision shape, m³ (how a link's mass is shared among its shapes). */
export function shapeVolume(shape: Shape): number {
  switch (shape.type) {
    case 'box':
      return shape.size[0] * shape.size[1] * shape.size[2];
    case 'sphere':
      return (4 / 3) * Math.PI * shape.radius ** 3;
    case 'cylinder':
      return Math.PI * shape.radius ** 2 * shape.length;
    case 'capsule':
      return Math.PI * shape.radius ** 2 * shape.length + (4 / 3) * Math.PI * shape.radius ** 3;
    case 'convex':
      return shape.volume;
  }
}
