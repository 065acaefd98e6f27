import { commandRange, DEFAULT_GRAVITY, isObstacle, neutralCommand, ItineraError, MAX_PHYSICS_DT, MAX_PLANNING_PHYSICS_DT, type RobotSpec, type SceneSpec, type Vec3, type WorldView } from '@itinera/core';
import { RAPIER } from './rapier.js';
import { BodyStates, runaway } from './body-states.js';
import { colliderFor, NO_GROUPS, RAY_GROUPS, ROBOT_GROUPS, SCENE_GROUPS, shapeVolume } from './colliders.js';
import { layoutRobot, type LinkLayout, type RobotLayout } from './kinematics.js';
import { apply, compose, cross, dot, fromPose, principalInertia, quatConj, quatMul, rotate, sub, twistAngle, type Quat, type Transform } from './math.js';

export interface PhysicsOptions {
  /** Seconds per physics step; 1/200 or smaller. */
  physicsDt: number;
  /** Physics steps per control step. */
  substeps: number;
  /** A planner's own model may step coarser (up to 1/50 s) to trade accuracy for rollouts. */
  planning?: boolean;
  /** Rapier's solver iterations per physics step (its default is 4); planning copies may trade accuracy for speed. */
  solverIterations?: number;
  /** Links below the base feel no gravity: a gravity-compensating controller holds the arm (Task.gravityCompensation). */
  gravityCompensation?: boolean;
}

export const DEFAULT_PHYSICS: PhysicsOptions = { physicsDt: 1 / 200, substeps: 4 };

/** A <mimic> follower's motor stiffness (1/s², mass-normalised): it settles on its leader in about 0.1 s. */
const MIMIC_STIFFNESS = 400;
/** Joint friction reaches its full value at this speed (rad/s or m/s): below it the joint creeps, as if stuck. */
const FRICTION_SLIP_SPEED = 0.01;

export interface PhysicsSnapshot {
  readonly kind: 'physics';
  readonly bytes: Uint8Array;
  readonly time: number;
}

let liveWorlds = 0;

/** Physics worlds created and not yet freed: their wasm memory is never garbage-collected (leak checks read it). */
export function livePhysicsWorlds(): number {
  return liveWorlds;
}

/** A Rapier world holding one robot and a scene; torques in, sensors out. */
export class PhysicsWorld implements WorldView {
  readonly layout: RobotLayout;
  readonly options: PhysicsOptions;
  /** Names of the sensor channels `sense` writes, in order. */
  readonly sensorNames: string[];
  time = 0;

  private world: RAPIER.World;
  private bodies: RAPIER.RigidBody[] = [];
  /** The robot bodies' states, read once per step. */
  private readonly states: BodyStates;
  /** Values derived from the body states, computed once per state (a step's torques, residuals, status and guardrails all ask). */
  private readonly endEffector: Derived<Vec3> = { generation: 0, value: [0, 0, 0] };
  private readonly jointAngles: Derived<Float64Array>;
  private readonly jointSpeeds: Derived<Float64Array>;
  private readonly bodyHandles: number[] = [];
  private readonly sceneHandles = new Map<string, number>();
  /** Scene bodies that can move (dynamic or scripted): only these can diverge, so only these are checked. */
  private readonly movingSceneHandles: number[] = [];
  private readonly robotColliders = new Set<number>();
  /** Colliders of fixed and scripted scene bodies (walls, fixtures), not the ground. */
  private readonly obstacleColliders = new Set<number>();
  private readonly linkColliders = new Map<string, number[]>();
  private readonly contactLinks: string[];
  private readonly actuatorJoint: number[];
  private readonly actuatorLimit: Float64Array;
  /** Share of each command its motor delivers (ActuatorSpec.gain). */
  private readonly actuatorGain: Float64Array;
  /** Impulse-joint handles, by layout joint index (looked up again after a restore replaces the world). */
  private readonly jointHandles: number[] = [];
  /** Layout indices of joints that follow another (<mimic>), with their leader's index. */
  private readonly mimics: Array<{ follower: number; leader: number; multiplier: number; offset: number }> = [];
  private readonly velocityLimited: boolean;
  /** Each actuator's command range (±limit for a torque motor, a servo's target range). */
  private readonly commandLow: Float64Array;
  private readonly commandHigh: Float64Array;
  /** Servo actuators' PD laws by actuator index (undefined: a torque motor). */
  private readonly servos: ReadonlyArray<RobotSpec['actuators'][number]['servo']>;
  private readonly hasServos: boolean;
  /** Each actuator's torque (or force) before its gain, as a share of its limit, for the effort guardrail. */
  readonly effort: Float64Array;
  /** The clamped actuator command held over the control step. */
  private readonly command: Float64Array;
  /** Whether any actuator drives a prismatic joint (the only ones that apply forces rather than torques). */
  private readonly forceActuated: boolean;
  /** Each body's summed actuator torques and forces of a control step. */
  private readonly pushSums: BodyPushes;
  /** Gravity and a push as wasm vectors made once: Rapier's own step and addTorque make (and register for finalisation) one per call, ~3% of a step. */
  private readonly rawGravity: RawVector;
  private readonly rawPush: RawVector;
  /** Per actuator, the stance hold sharing its joint (holdStance), if any. */
  private stance?: Array<{ target: number; stiffness: number; damping: number } | undefined>;

  private constructor(readonly robot: RobotSpec, readonly scene: SceneSpec, options: PhysicsOptions) {
    const maxDt = options.planning ? MAX_PLANNING_PHYSICS_DT : MAX_PHYSICS_DT;
    if (!(options.physicsDt > 0 && options.physicsDt <= maxDt + 1e-12)) {
      throw new ItineraError(`physicsDt must be in (0, 1/${Math.round(1 / maxDt)}] seconds (got ${options.physicsDt})`);
    }
    if (!(Number.isInteger(options.substeps) && options.substeps >= 1)) {
      throw new ItineraError(`substeps must be a positive integer (got ${options.substeps})`);
    }
    this.options = options;
    this.layout = layoutRobot(robot);
    this.states = new BodyStates(robot.base.fixed);
    this.jointAngles = { generation: 0, value: new Float64Array(this.layout.joints.length) };
    this.jointSpeeds = { generation: 0, value: new Float64Array(this.layout.joints.length) };
    const [gx, gy, gz] = robot.physics?.gravity ?? DEFAULT_GRAVITY;
    this.world = new RAPIER.World({ x: gx, y: gy, z: gz });
    try {
      this.applyIntegration();
      this.buildScene();
      this.buildRobot();
      if (robot.initialJoints) this.placeAtInitialJoints(robot.initialJoints);
    } catch (error) {
      // Nobody holds the world to free it later.
      this.world.free();
      throw error;
    }
    this.rawGravity = RAPIER.VectorOps.intoRaw(this.world.gravity);
    this.rawPush = RAPIER.VectorOps.intoRaw({ x: 0, y: 0, z: 0 });
    liveWorlds++;
    this.contactLinks = robot.sensors.contacts ?? robot.links.filter((l) => l.collisions.length > 0).map((l) => l.name);
    const jointIndex = new Map(this.layout.joints.map((j, i) => [j.joint.name, i]));
    this.actuatorJoint = robot.actuators.map((a) => jointIndex.get(a.joint)!);
    this.actuatorLimit = Float64Array.from(robot.actuators, (a) => a.limit);
    this.actuatorGain = Float64Array.from(robot.actuators, (a) => a.gain ?? 1);
    // Until the first command: zero torque, servos holding the start pose.
    this.command = neutralCommand(robot);
    this.effort = new Float64Array(robot.actuators.length);
    this.pushSums = new BodyPushes(this.layout.bodies.length);
    this.commandLow = Float64Array.from(robot.actuators, (a) => commandRange(a)[0]);
    this.commandHigh = Float64Array.from(robot.actuators, (a) => commandRange(a)[1]);
    this.servos = robot.actuators.map((a) => a.servo);
    this.hasServos = this.servos.some((servo) => servo !== undefined);
    this.layout.joints.forEach((j, follower) => {
      const mimic = j.joint.mimic;
      if (mimic) this.mimics.push({ follower, leader: jointIndex.get(mimic.joint)!, multiplier: mimic.multiplier, offset: mimic.offset });
    });
    this.velocityLimited = this.actuatorJoint.some((i) => this.layout.joints[i].joint.velocity !== undefined);
    this.forceActuated = this.actuatorJoint.some((j) => this.layout.joints[j].joint.type === 'prismatic');
    this.sensorNames = this.makeSensorNames();
  }

  /**
   * Call `initPhysics()` once before creating worlds. A robot whose file asks for a finer integration step
   * (RobotSpec.physics.timestep) gets it, in more substeps of the same control step; a planner's copy keeps its own.
   */
  static create(robot: RobotSpec, scene: SceneSpec, options: Partial<PhysicsOptions> = {}): PhysicsWorld {
    const physics = { ...DEFAULT_PHYSICS, ...options };
    const timestep = robot.physics?.timestep;
    if (!physics.planning && timestep !== undefined && timestep < physics.physicsDt) {
      const controlDt = physics.physicsDt * physics.substeps;
      physics.substeps = Math.ceil(controlDt / timestep - 1e-9);
      physics.physicsDt = controlDt / physics.substeps;
    }
    return new PhysicsWorld(robot, scene, physics);
  }

  get controlDt(): number {
    return this.options.physicsDt * this.options.substeps;
  }

  get actuatorLimits(): Float64Array {
    return this.actuatorLimit;
  }

  /** Lowest and highest command of each actuator: the action space. */
  get commandBounds(): { low: Float64Array; high: Float64Array } {
    return { low: this.commandLow, high: this.commandHigh };
  }

  // ---- building ----

  private buildScene(): void {
    if (this.scene.ground) {
      const ground = this.world.createRigidBody(RAPIER.RigidBodyDesc.fixed().setTranslation(0, 0, -0.5));
      this.world.createCollider(RAPIER.ColliderDesc.cuboid(500, 500, 0.5).setFriction(1.0).setCollisionGroups(SCENE_GROUPS), ground);
    }
    for (const body of this.scene.bodies) {
      const t = fromPose(body.pose);
      // Velocity-based, so a scripted actor moves smoothly through the substeps of a control step (see setKinematicTarget).
      const desc = body.kinematic
        ? RAPIER.RigidBodyDesc.kinematicVelocityBased()
        : body.mass
          ? RAPIER.RigidBodyDesc.dynamic()
          : RAPIER.RigidBodyDesc.fixed();
      desc.setTranslation(...t.p).setRotation({ x: t.q[0], y: t.q[1], z: t.q[2], w: t.q[3] });
      const rb = this.world.createRigidBody(desc);
      const volume = body.geoms.reduce((v, g) => v + shapeVolume(g.shape), 0);
      for (const geom of body.geoms) {
        const c = colliderFor(geom, { p: [0, 0, 0], q: [0, 0, 0, 1] }).setCollisionGroups(SCENE_GROUPS);
        if (body.mass) c.setMass((body.mass * shapeVolume(geom.shape)) / volume);
        const collider = this.world.createCollider(c, rb);
        if (isObstacle(body)) this.obstacleColliders.add(collider.handle);
      }
      this.sceneHandles.set(body.name, rb.handle);
      if (body.kinematic || body.mass) this.movingSceneHandles.push(rb.handle);
    }
  }

  private buildRobot(): void {
    const { bodies, links, joints } = this.layout;
    for (let i = 0; i < bodies.length; i++) {
      const fixed = i === 0 && this.robot.base.fixed;
      const desc = (fixed ? RAPIER.RigidBodyDesc.fixed() : RAPIER.RigidBodyDesc.dynamic()).setTranslation(...bodies[i].position);
      if (i > 0 && this.options.gravityCompensation) desc.setGravityScale(0);
      const rb = this.world.createRigidBody(desc);
      this.bodyHandles.push(rb.handle);
    }
    this.refreshBodies();
    for (const layout of links.values()) this.addLinkColliders(layout);
    for (const j of joints) {
      const a = { x: j.axis[0], y: j.axis[1], z: j.axis[2] };
      const anchor1 = { x: j.restOffset[0], y: j.restOffset[1], z: j.restOffset[2] };
      const anchor2 = { x: 0, y: 0, z: 0 };
      const data = j.joint.type === 'prismatic' ? RAPIER.JointData.prismatic(anchor1, anchor2, a) : RAPIER.JointData.revolute(anchor1, anchor2, a);
      const joint = this.world.createImpulseJoint(data, this.bodies[j.parentBody], this.bodies[j.childBody], true) as RAPIER.UnitImpulseJoint;
      joint.setContactsEnabled(false);
      if (j.joint.limit && j.joint.type !== 'continuous') joint.setLimits(j.joint.limit.lower, j.joint.limit.upper);
      this.jointHandles.push(joint.handle);
      configureJointMotor(joint, j.joint);
    }
  }

  /**
   * Holds each joint with a positive `stiffness` (N·m/rad or N/m, layout order) at `targets` with a position motor
   * (critically damped for 0.1 kg·m²), as a legged robot is settled on its feet at reset (core's Task.settle);
   * undefined releases every joint to its own damping and friction.
   */
  holdJoints(hold?: { targets: ArrayLike<number>; stiffness: ArrayLike<number> }): void {
    this.layout.joints.forEach((j, i) => {
      if (j.joint.mimic) return;
      const joint = this.world.getImpulseJoint(this.jointHandles[i]) as RAPIER.UnitImpulseJoint;
      if (!hold) return configureJointMotor(joint, j.joint, true);
      if (!(hold.stiffness[i] > 0)) return;
      joint.configureMotorModel(RAPIER.MotorModel.ForceBased);
      joint.setMotorMaxForce(Infinity);
      joint.configureMotorPosition(hold.targets[i], hold.stiffness[i], holdDamping(hold.stiffness[i]));
    });
  }

  /**
   * A stance hold (core's Task.settle.hold): each torque-driven joint with a positive `stiffness` keeps a position
   * motor toward `targets`, damped as holdJoints' and by the joint's own damping. Hold and command share the
   * actuator's limit (pushHolds). Snapshots carry the motors.
   */
  holdStance(hold: { targets: ArrayLike<number>; stiffness: ArrayLike<number> }): void {
    this.stance = this.actuatorJoint.map((j, k) => {
      const stiffness = hold.stiffness[j];
      return !this.servos[k] && stiffness > 0 ? { target: hold.targets[j], stiffness, damping: holdDamping(stiffness) + this.layout.joints[j].joint.damping } : undefined;
    });
    this.actuatorJoint.forEach((j, k) => {
      const hold = this.stance![k];
      if (!hold) return;
      const joint = this.world.getImpulseJoint(this.jointHandles[j]) as RAPIER.UnitImpulseJoint;
      joint.configureMotorModel(RAPIER.MotorModel.ForceBased);
      joint.configureMotorPosition(hold.target, hold.stiffness, hold.damping);
    });
    this.pushHolds();
  }

  /**
   * Caps each stance hold so that hold plus command stays within the actuator's limit: a hold pushing the command's
   * way (judged at the step's start) gets what the command leaves, one pushing against it the full limit.
   */
  private pushHolds(): void {
    const q = this.jointPositions();
    const speeds = this.jointVelocities();
    this.stance!.forEach((hold, k) => {
      if (!hold) return;
      const j = this.actuatorJoint[k];
      const pushing = hold.stiffness * (hold.target - q[j]) - hold.damping * speeds[j];
      const left = pushing * this.command[k] > 0 ? Math.max(0, this.actuatorLimit[k] - Math.abs(this.command[k])) : this.actuatorLimit[k];
      // The joint's own damping shares the motor, and is no actuator's: it stays whole.
      const damping = this.layout.joints[j].joint.damping * Math.abs(speeds[j]);
      (this.world.getImpulseJoint(this.jointHandles[j]) as RAPIER.UnitImpulseJoint).setMotorMaxForce(left * this.actuatorGain[k] + damping);
    });
  }

  /** Moves the bodies from the rest pose to the given joint positions (their joints are defined at rest). */
  private placeAtInitialJoints(start: Record<string, number>): void {
    const placed: Transform[] = [{ p: this.layout.bodies[0].position, q: [0, 0, 0, 1] }];
    // Layout joints come parent first, so each parent body is placed before its children.
    for (const j of this.layout.joints) {
      const parent = placed[j.parentBody];
      const q = start[j.joint.name] ?? 0;
      const slide = j.joint.type === 'prismatic' ? q : 0;
      const turn = j.joint.type === 'prismatic' ? 0 : q;
      const local = [j.restOffset[0] + j.axis[0] * slide, j.restOffset[1] + j.axis[1] * slide, j.restOffset[2] + j.axis[2] * slide] as Vec3;
      const [s, c] = [Math.sin(turn / 2), Math.cos(turn / 2)];
      placed[j.childBody] = compose(parent, { p: local, q: [j.axis[0] * s, j.axis[1] * s, j.axis[2] * s, c] });
    }
    placed.forEach((t, i) => {
      const rb = this.bodies[i];
      rb.setTranslation({ x: t.p[0], y: t.p[1], z: t.p[2] }, false);
      rb.setRotation({ x: t.q[0], y: t.q[1], z: t.q[2], w: t.q[3] }, false);
    });
    this.states.invalidate(this.bodies);
  }

  private addLinkColliders({ link, body, offset }: LinkLayout): void {
    const rb = this.bodies[body];
    const handles: number[] = [];
    const volume = link.collisions.reduce((v, g) => v + shapeVolume(g.shape), 0);
    const massInShapes = !link.inertia && volume > 0;
    for (const geom of link.collisions) {
      const desc = colliderFor(geom, offset).setCollisionGroups(ROBOT_GROUPS);
      if (massInShapes) desc.setMass((link.mass * shapeVolume(geom.shape)) / volume);
      else desc.setDensity(0);
      const c = this.world.createCollider(desc, rb);
      handles.push(c.handle);
      this.robotColliders.add(c.handle);
    }
    if (!massInShapes) this.addMassCarrier(link, rb, offset);
    this.linkColliders.set(link.name, handles);
  }

  /** An invisible collider that carries a link's declared mass and inertia. */
  private addMassCarrier(link: LinkLayout['link'], rb: RAPIER.RigidBody, offset: Transform): void {
    const inertial = compose(offset, fromPose(link.inertialOrigin ?? { xyz: [0, 0, 0], rpy: [0, 0, 0] }));
    const r = 0.05; // a solid sphere's inertia when none is declared
    const { moments, frame } = link.inertia
      ? principalInertia(link.inertia)
      : { moments: [0.4 * link.mass * r * r, 0.4 * link.mass * r * r, 0.4 * link.mass * r * r] as Vec3, frame: [0, 0, 0, 1] as Quat };
    const q = quatMul(inertial.q, frame);
    const desc = RAPIER.ColliderDesc.ball(0.001)
      .setTranslation(...inertial.p)
      .setRotation({ x: q[0], y: q[1], z: q[2], w: q[3] })
      .setCollisionGroups(NO_GROUPS)
      .setSolverGroups(NO_GROUPS)
      .setMassProperties(link.mass, { x: 0, y: 0, z: 0 }, { x: moments[0], y: moments[1], z: moments[2] }, { x: 0, y: 0, z: 0, w: 1 });
    this.world.createCollider(desc, rb);
  }

  private refreshBodies(): void {
    this.bodies = this.bodyHandles.map((h) => this.world.getRigidBody(h));
    this.states.invalidate(this.bodies);
  }

  // ---- stepping ----

  /** Applies actuator commands (clamped to their limits) for the next control step. */
  applyActuators(command: ArrayLike<number>): void {
    for (let k = 0; k < this.actuatorJoint.length; k++) this.command[k] = Math.min(this.commandHigh[k], Math.max(this.commandLow[k], command[k]));
    this.followLeaders();
    if (this.hasServos) this.driveServos();
    if (this.stance) this.pushHolds();
    this.pushActuators();
  }

  /**
   * Puts the held command on the bodies: τ·axis on the child and −τ·axis on the parent of each driven joint. Each
   * body's pushes are summed here in f32, as Rapier sums them, and handed over in one call: the same bits as one
   * Rapier call per push at half the calls (each costs a wasm vector allocation).
   */
  private pushActuators(): void {
    const sums = this.pushSums;
    sums.torque.fill(0);
    sums.force.fill(0);
    sums.pushed.fill(0);
    const joints = this.layout.joints;
    const speeds = this.velocityLimited ? this.jointVelocities() : undefined;
    for (let k = 0; k < this.actuatorJoint.length; k++) {
      // A servo drives its joint through the joint's motor (driveServos).
      if (this.servos[k]) continue;
      this.effort[k] = this.command[k] / this.actuatorLimit[k];
      let u = this.command[k] * this.actuatorGain[k];
      const j = joints[this.actuatorJoint[k]];
      // At its velocity limit an actuator cannot push the joint faster (URDF <limit velocity>).
      const speed = speeds?.[this.actuatorJoint[k]] ?? 0;
      if (j.joint.velocity !== undefined && Math.abs(speed) >= j.joint.velocity && u * speed > 0) u = 0;
      if (u === 0) continue;
      const axis = rotate(this.states.rotation(j.parentBody), j.axis);
      // Only prismatic actuators push forces.
      const into = j.joint.type === 'prismatic' ? sums.force : sums.torque;
      sums.push(into, j.childBody, u * axis[0], u * axis[1], u * axis[2]);
      // Equal and opposite: a joint motor pushes on both bodies it connects (Rapier ignores a fixed base).
      if (j.parentBody !== 0 || !this.robot.base.fixed) sums.push(into, j.parentBody, -u * axis[0], -u * axis[1], -u * axis[2]);
    }
    for (let i = this.robot.base.fixed ? 1 : 0; i < this.bodies.length; i++) {
      const rb = this.bodies[i];
      rb.resetTorques(false);
      if (this.forceActuated) rb.resetForces(false);
      if (!sums.pushed[i]) continue;
      const torque = sums.nonZero(sums.torque, i);
      const force = sums.nonZero(sums.force, i);
      if (torque) this.addPush(sums.torque, i, rb, false);
      if (force) this.addPush(sums.force, i, rb, true);
      // Pushes that cancelled still woke the body in Rapier.
      if (!torque && !force) rb.wakeUp();
    }
  }

  /** rb.addTorque (or addForce) of body i's sum, waking it, through the reused wasm vector. */
  private addPush(from: Float32Array, i: number, rb: RAPIER.RigidBody, force: boolean): void {
    const v = this.rawPush;
    v.x = from[i * 3];
    v.y = from[i * 3 + 1];
    v.z = from[i * 3 + 2];
    if (force) this.world.bodies.raw.rbAddForce(rb.handle, v, true);
    else this.world.bodies.raw.rbAddTorque(rb.handle, v, true);
  }

  /**
   * Points each servo's joint motor at its command: Rapier solves the PD law inside its constraint solver (implicitly,
   * as MuJoCo integrates kv), so stiff servos stay stable at a coarse step; the joint's own damping adds to kv and the
   * motor pushes at most the actuator's limit. The effort guardrail sees the PD torque at the start of the step.
   */
  private driveServos(): void {
    const q = this.jointPositions();
    const speeds = this.jointVelocities();
    for (let k = 0; k < this.actuatorJoint.length; k++) {
      const servo = this.servos[k];
      if (!servo) continue;
      const j = this.actuatorJoint[k];
      const spec = this.layout.joints[j].joint;
      const gain = this.actuatorGain[k];
      const limit = this.actuatorLimit[k];
      const target = this.command[k];
      const joint = this.world.getImpulseJoint(this.jointHandles[j]) as RAPIER.UnitImpulseJoint;
      joint.configureMotorModel(RAPIER.MotorModel.ForceBased);
      joint.setMotorMaxForce(limit * gain);
      const kv = servo.kv * gain + spec.damping;
      let torque: number;
      if (servo.kind === 'position') {
        // A joint that can turn further than a full turn reads its angle modulo a turn: its target is reached the short
        // way round. Within a narrower range the angle is unambiguous, and the short way could cross the range's gap.
        let error = target - q[j];
        const wraps = spec.type === 'continuous' || (spec.type === 'revolute' && (!spec.limit || spec.limit.upper - spec.limit.lower > 2 * Math.PI - 1e-6));
        if (wraps) error -= 2 * Math.PI * Math.round(error / (2 * Math.PI));
        joint.configureMotorPosition(q[j] + error, servo.kp * gain, kv);
        torque = servo.kp * error - servo.kv * speeds[j];
      } else {
        // kv·(target − v) − damping·v is a velocity motor toward a scaled target with the two gains summed.
        joint.configureMotorVelocity(kv > 0 ? (servo.kv * gain * target) / kv : 0, kv);
        torque = servo.kv * (target - speeds[j]);
      }
      this.effort[k] = Math.min(1, Math.max(-1, torque / limit));
    }
  }

  /** Points every <mimic> follower's position motor at multiplier · leader + offset. */
  private followLeaders(): void {
    if (this.mimics.length === 0) return;
    const q = this.jointPositions();
    for (const m of this.mimics) {
      const joint = this.world.getImpulseJoint(this.jointHandles[m.follower]) as RAPIER.UnitImpulseJoint;
      joint.configureMotorPosition(m.multiplier * q[m.leader] + m.offset, MIMIC_STIFFNESS, 2 * Math.sqrt(MIMIC_STIFFNESS));
    }
  }

  /**
   * Brings ray casts up to date without advancing time: Rapier updates its broad phase only when it steps, so a
   * fresh or just-reset world (actors placed at reset) would see nothing. One step of a microsecond does it.
   */
  refreshQueries(): void {
    this.world.timestep = 1e-6;
    this.world.step();
    this.world.timestep = this.options.physicsDt;
    this.states.invalidate();
  }

  /** Advances one control step (`substeps` physics steps). */
  step(): void {
    // Rapier's wasm build times each pipeline stage with performance.now() (~30 calls a physics step) even with its
    // profiler off, a tenth of a step's cost; nothing reads those timings, so it gets a constant clock while it steps.
    const clock = performance.now;
    performance.now = constantClock;
    try {
      for (let i = 0; i < this.options.substeps; i++) {
        // A velocity limit is checked every physics step: a control step is too coarse for light links.
        if (i > 0 && this.velocityLimited) this.pushActuators();
        this.stepRapier();
        this.states.invalidate();
      }
    } finally {
      performance.now = clock;
    }
    this.time += this.controlDt;
  }

  /** world.step() with the world's gravity as a wasm vector made once, not one per call. */
  private stepRapier(): void {
    const w = this.world;
    w.physicsPipeline.raw.step(this.rawGravity, w.integrationParameters.raw, w.islands.raw, w.broadPhase.raw, w.narrowPhase.raw, w.bodies.raw, w.colliders.raw, w.impulseJoints.raw, w.multibodyJoints.raw, w.ccdSolver.raw);
  }

  /** True when any robot or scene body has a non-finite or runaway state. */
  diverged(): boolean {
    const check = (rb: RAPIER.RigidBody): boolean => runaway(vec(rb.translation()), 0, vec(rb.linvel()), 0, vec(rb.angvel()), 0);
    // A fixed base never moves: nothing to check.
    for (let i = this.robot.base.fixed ? 1 : 0; i < this.bodies.length; i++) if (this.states.runaway(i)) return true;
    for (const h of this.movingSceneHandles) if (check(this.world.getRigidBody(h))) return true;
    return false;
  }

  /**
   * Moves a kinematic scene body so it reaches `xyz` (and `rpy`) at the end of the next control step, at constant
   * velocity through its substeps; `teleport` puts it there at once, at rest (placing actors at reset).
   */
  setKinematicTarget(name: string, xyz: Vec3, rpy?: Vec3, teleport = false): void {
    const handle = this.sceneHandles.get(name);
    if (handle === undefined) throw new ItineraError(`scene has no body '${name}'`);
    const rb = this.world.getRigidBody(handle);
    if (!rb.isKinematic()) throw new ItineraError(`scene body '${name}' is not kinematic`);
    const target = rpy ? fromPose({ xyz, rpy }) : undefined;
    if (teleport) {
      rb.setTranslation({ x: xyz[0], y: xyz[1], z: xyz[2] }, true);
      if (target) rb.setRotation({ x: target.q[0], y: target.q[1], z: target.q[2], w: target.q[3] }, true);
      rb.setLinvel({ x: 0, y: 0, z: 0 }, true);
      rb.setAngvel({ x: 0, y: 0, z: 0 }, true);
      return;
    }
    const p = rb.translation();
    const dt = this.controlDt;
    rb.setLinvel({ x: (xyz[0] - p.x) / dt, y: (xyz[1] - p.y) / dt, z: (xyz[2] - p.z) / dt }, true);
    if (target) {
      // Angular velocity that turns the current orientation into the target one over the step.
      const dq = quatMul(target.q, quatConj(toQuat(rb.rotation())));
      const s = dq[3] < 0 ? -1 : 1;
      const sinHalf = Math.hypot(dq[0], dq[1], dq[2]);
      const angle = 2 * Math.atan2(sinHalf, s * dq[3]);
      const k = sinHalf > 1e-12 ? (s * angle) / (sinHalf * dt) : 0;
      rb.setAngvel({ x: dq[0] * k, y: dq[1] * k, z: dq[2] * k }, true);
    }
  }

  /** An instantaneous push on the robot's base (N·s): an unmodelled disturbance for tests and scripted bumps. */
  pushBase(impulse: Vec3): void {
    this.bodies[0].applyImpulse({ x: impulse[0], y: impulse[1], z: impulse[2] }, true);
    this.states.invalidate();
  }

  // ---- sensing (WorldView) ----

  linkTransform(link: string): Transform {
    const layout = this.layout.links.get(link);
    if (!layout) throw new ItineraError(`robot '${this.robot.name}' has no link '${link}'`);
    return compose({ p: this.states.translation(layout.body), q: this.states.rotation(layout.body) }, layout.offset);
  }

  pointPosition(link: string, local: Vec3 = [0, 0, 0]): Vec3 {
    return apply(this.linkTransform(link), local);
  }

  endEffectorPosition(): Vec3 {
    const ee = this.robot.endEffector;
    if (!ee) throw new ItineraError(`robot '${this.robot.name}' names no end effector`);
    const [x, y, z] = this.derived(this.endEffector, (into) => into.splice(0, 3, ...this.pointPosition(ee.link, ee.point)));
    return [x, y, z];
  }

  basePosition(): Vec3 {
    return this.pointPosition(this.robot.base.link);
  }

  baseQuaternion(): Quat {
    return this.linkTransform(this.robot.base.link).q;
  }

  baseVelocity(): Vec3 {
    return this.states.linvel(0);
  }

  jointPositions(out: Float64Array = new Float64Array(this.layout.joints.length)): Float64Array {
    out.set(this.derived(this.jointAngles, (into) => this.computeJointPositions(into)));
    return out;
  }

  private computeJointPositions(out: Float64Array): void {
    this.layout.joints.forEach((j, i) => {
      const s = this.states;
      const qp = s.rotation(j.parentBody);
      if (j.joint.type === 'prismatic') {
        const d = rotate(quatConj(qp), sub(s.translation(j.childBody), s.translation(j.parentBody)));
        out[i] = dot(sub(d, j.restOffset), j.axis);
      } else {
        out[i] = twistAngle(quatMul(quatConj(qp), s.rotation(j.childBody)), j.axis);
      }
    });
  }

  jointVelocities(out: Float64Array = new Float64Array(this.layout.joints.length)): Float64Array {
    out.set(this.derived(this.jointSpeeds, (into) => this.computeJointVelocities(into)));
    return out;
  }

  /** `cache`'s value, recomputed into it only when the body states have changed since it was computed. */
  private derived<T>(cache: Derived<T>, compute: (into: T) => void): T {
    if (cache.generation !== this.states.generation) {
      compute(cache.value);
      cache.generation = this.states.generation;
    }
    return cache.value;
  }

  private computeJointVelocities(out: Float64Array): void {
    this.layout.joints.forEach((j, i) => {
      const s = this.states;
      const axis = rotate(s.rotation(j.parentBody), j.axis);
      const wp = s.angvel(j.parentBody);
      const wc = s.angvel(j.childBody);
      if (j.joint.type === 'prismatic') {
        // Velocities of the two bodies at the child's origin.
        const at = s.translation(j.childBody);
        const vc = addv(s.linvel(j.childBody), cross(wc, sub(at, vec(this.bodies[j.childBody].worldCom()))));
        const vp = addv(s.linvel(j.parentBody), cross(wp, sub(at, vec(this.bodies[j.parentBody].worldCom()))));
        out[i] = dot(sub(vc, vp), axis);
      } else {
        out[i] = dot(sub(wc, wp), axis);
      }
    });
  }

  linkInContact(link: string): boolean {
    return (this.linkColliders.get(link) ?? []).some((h) => this.touches(h, (other) => !this.robotColliders.has(other)));
  }

  /** How many robot links touch an obstacle (the collision guardrail). */
  obstacleContacts(): number {
    if (this.obstacleColliders.size === 0) return 0;
    let count = 0;
    for (const handles of this.linkColliders.values()) {
      if (handles.some((h) => this.touches(h, (other) => this.obstacleColliders.has(other)))) count++;
    }
    return count;
  }

  private touches(handle: number, accept: (other: number) => boolean): boolean {
    const collider = this.world.getCollider(handle);
    let touching = false;
    this.world.contactPairsWith(collider, (other) => {
      if (touching || !accept(other.handle)) return;
      this.world.contactPair(collider, other, (manifold) => {
        if (manifold.numContacts() > 0) touching = true;
      });
    });
    return touching;
  }

  bodyPosition(name: string): Vec3 {
    const handle = this.sceneHandles.get(name);
    if (handle === undefined) throw new ItineraError(`scene has no body '${name}'`);
    return vec(this.world.getRigidBody(handle).translation());
  }

  /** World pose of a scene body by name (for viewers: scripted actors turn as well as move). */
  bodyTransform(name: string): Transform {
    const handle = this.sceneHandles.get(name);
    if (handle === undefined) throw new ItineraError(`scene has no body '${name}'`);
    const rb = this.world.getRigidBody(handle);
    return { p: vec(rb.translation()), q: toQuat(rb.rotation()) };
  }

  /** Distances along a ring of rays in the sensor link's x-y plane (range when nothing is hit). */
  rays(out?: Float64Array): Float64Array {
    const spec = this.robot.sensors.rays;
    if (!spec) return out ?? new Float64Array(0);
    const result = out ?? new Float64Array(spec.count);
    const t = this.linkTransform(spec.link);
    const origin = apply(t, spec.offset);
    const ray = new RAPIER.Ray({ x: origin[0], y: origin[1], z: origin[2] }, { x: 1, y: 0, z: 0 });
    for (let k = 0; k < spec.count; k++) {
      const angle = (2 * Math.PI * k) / spec.count;
      const d = rotate(t.q, [Math.cos(angle), Math.sin(angle), 0]);
      ray.dir = { x: d[0], y: d[1], z: d[2] };
      const hit = this.world.castRay(ray, spec.range, true, undefined, RAY_GROUPS);
      result[k] = hit ? hit.timeOfImpact : spec.range;
    }
    return result;
  }

  get sensorSize(): number {
    return this.sensorNames.length;
  }

  /** Joint positions and velocities, base pose and velocity, contact flags and rays, as one vector. */
  sense(out: Float64Array = new Float64Array(this.sensorSize)): Float64Array {
    let o = 0;
    const n = this.layout.joints.length;
    out.set(this.jointPositions(), o);
    o += n;
    out.set(this.jointVelocities(), o);
    o += n;
    const bt = this.linkTransform(this.robot.base.link);
    out.set(bt.p, o);
    out.set(bt.q, o + 3);
    out.set(this.states.linvel(0), o + 7);
    out.set(this.states.angvel(0), o + 10);
    o += 13;
    for (const link of this.contactLinks) out[o++] = this.linkInContact(link) ? 1 : 0;
    if (this.robot.sensors.rays) out.set(this.rays(), o);
    return out;
  }

  private makeSensorNames(): string[] {
    const joints = this.layout.joints.map((j) => j.joint.name);
    return [
      ...joints.map((n) => `qpos.${n}`),
      ...joints.map((n) => `qvel.${n}`),
      ...['x', 'y', 'z', 'qx', 'qy', 'qz', 'qw', 'vx', 'vy', 'vz', 'wx', 'wy', 'wz'].map((n) => `base.${n}`),
      ...this.contactLinks.map((n) => `contact.${n}`),
      ...Array.from({ length: this.robot.sensors.rays?.count ?? 0 }, (_, k) => `ray.${k}`),
    ];
  }

  // ---- state ----

  snapshot(): PhysicsSnapshot {
    return { kind: 'physics', bytes: this.world.takeSnapshot(), time: this.time };
  }

  /** Restores an exact earlier state; Rapier hands back a new world, so the old one is freed. */
  restore(snapshot: PhysicsSnapshot): void {
    // Not World.restoreSnapshot: it leaves a pipeline and the ~2 KB deserialised shell to the JS garbage collector,
    // which rarely runs for such small wrappers, so the wasm heap grew by that much on every planner rollout.
    const old = this.world;
    const raw = old.serializationPipeline.raw.deserializeAll(snapshot.bytes);
    if (!raw) throw new Error('Rapier could not restore the snapshot');
    const g = raw.takeGravity();
    if (!g) {
      raw.free();
      throw new Error('Rapier could not restore the snapshot');
    }
    // The snapshot holds the world's state; the pipelines (scratch space, rebuilt on every step) are not part of it and
    // carry over, which makes a restore a third cheaper than World.fromRaw's fresh ones (planners restore per sample).
    this.world = new RAPIER.World(
      { x: g.x, y: g.y, z: g.z },
      raw.takeIntegrationParameters(),
      raw.takeIslandManager(),
      raw.takeBroadPhase(),
      raw.takeNarrowPhase(),
      raw.takeBodies(),
      raw.takeColliders(),
      raw.takeImpulseJoints(),
      raw.takeMultibodyJoints(),
      old.ccdSolver.raw,
      old.physicsPipeline.raw,
      old.serializationPipeline.raw,
      old.debugRenderPipeline.raw,
    );
    this.rawGravity.x = g.x;
    this.rawGravity.y = g.y;
    this.rawGravity.z = g.z;
    g.free();
    raw.free();
    for (const part of [old.integrationParameters, old.islands, old.broadPhase, old.narrowPhase, old.bodies, old.colliders, old.impulseJoints, old.multibodyJoints]) part.free();
    // The snapshot carries its world's integration settings; a coarser planning copy keeps its own.
    this.applyIntegration();
    this.refreshBodies();
    this.time = snapshot.time;
  }

  free(): void {
    this.world.free();
    this.rawGravity.free();
    this.rawPush.free();
    this.bodies = [];
    liveWorlds--;
  }

  private applyIntegration(): void {
    this.world.timestep = this.options.physicsDt;
    if (this.options.solverIterations !== undefined) this.world.integrationParameters.numSolverIterations = this.options.solverIterations;
  }
}

function toQuat(r: { x: number; y: number; z: number; w: number }): Quat {
  return [r.x, r.y, r.z, r.w];
}

function vec(v: { x: number; y: number; z: number }): Vec3 {
  return [v.x, v.y, v.z];
}

function addv(a: Vec3, b: Vec3): Vec3 {
  return [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
}

/** A joint's own motor: a <mimic> follower's position hold, else viscous damping or Coulomb friction, else none (after a hold: one that pushes nothing). */
/** A holding motor's damping: critically damped for 0.1 kg·m² at that stiffness. */
function holdDamping(stiffness: number): number {
  return 2 * Math.sqrt(0.1 * stiffness);
}

function configureJointMotor(joint: RAPIER.UnitImpulseJoint, spec: RobotSpec['joints'][number], released = false): void {
  if (spec.mimic) {
    // A follower is held to its leader by a stiff position motor (target set every control step).
    joint.configureMotorModel(RAPIER.MotorModel.AccelerationBased);
    joint.configureMotorPosition(0, MIMIC_STIFFNESS, 2 * Math.sqrt(MIMIC_STIFFNESS));
  } else if (spec.damping > 0) {
    // A velocity motor with target 0 is viscous damping: torque = −damping · velocity.
    joint.configureMotorModel(RAPIER.MotorModel.ForceBased);
    joint.configureMotorVelocity(0, spec.damping);
  } else if (spec.friction) {
    // Coulomb friction: a stiff velocity motor toward rest that can push back at most `friction`.
    joint.configureMotorModel(RAPIER.MotorModel.ForceBased);
    joint.configureMotorVelocity(0, spec.friction / FRICTION_SLIP_SPEED);
    joint.setMotorMaxForce(spec.friction);
  } else if (released) {
    // No motor of its own: released after a hold, it may push nothing (a motor with no stiffness and no damping
    // would be rigid in Rapier, locking the joint).
    joint.configureMotorVelocity(0, 0);
    joint.setMotorMaxForce(0);
  }
}

/** Rapier's wasm-side vector (the package does not export its type). */
type RawVector = ReturnType<typeof RAPIER.VectorOps.intoRaw>;

/** The clock Rapier sees while it steps (see PhysicsWorld.step). */
const constantClock = () => 0;

/** A value computed from the body states, and the states' generation it was computed at. */
interface Derived<T> {
  generation: number;
  value: T;
}

/** Per body, the torques and forces of a control step summed in f32, the way Rapier's addTorque/addForce sum them. */
class BodyPushes {
  readonly torque: Float32Array;
  readonly force: Float32Array;
  /** Whether any non-zero push reached the body (Rapier wakes it). */
  readonly pushed: Uint8Array;

  constructor(bodies: number) {
    this.torque = new Float32Array(bodies * 3);
    this.force = new Float32Array(bodies * 3);
    this.pushed = new Uint8Array(bodies);
  }

  push(into: Float32Array, body: number, x: number, y: number, z: number): void {
    // Rapier takes the vector as f32 and skips a zero one; a Float32Array store rounds each sum as f32 addition does.
    const fx = Math.fround(x);
    const fy = Math.fround(y);
    const fz = Math.fround(z);
    if (fx === 0 && fy === 0 && fz === 0) return;
    into[body * 3] += fx;
    into[body * 3 + 1] += fy;
    into[body * 3 + 2] += fz;
    this.pushed[body] = 1;
  }

  /** Whether body i's sum is non-zero (something to hand over). */
  nonZero(from: Float32Array, i: number): boolean {
    return from[i * 3] !== 0 || from[i * 3 + 1] !== 0 || from[i * 3 + 2] !== 0;
  }
}
