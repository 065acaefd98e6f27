// The contract a robot must honour to be simulated: it builds, stays finite and within an energy bound under
// zero and random torques, and every actuator moves its joint the way its command says. Returns problems,
// one line each, naming the robot; empty means it passed.
import { commandRange, DEFAULT_GRAVITY, neutralCommand, Rng, shapeVolume, type LinkSpec, type RobotSpec, type SceneSpec, type Shape, type Vec3 } from '@itinera/core';
import { clearOfGround } from './ground-clearance.js';
import { PhysicsWorld } from './physics-world.js';
import { initPhysics } from './rapier.js';

export interface CheckRobotOptions {
  seed?: number;
  /** Simulated seconds of the zero-torque and of the random-torque run. */
  seconds?: number;
  /** How long each actuator pushes, full force one way then the other, to show it moves its joint. */
  pushSeconds?: number;
}

/** What checkRobot measured, for a summary line. */
export interface CheckRobotReport {
  problems: string[];
  /** Largest energy gain beyond the actuators' work, in joules (0 when the robot only loses energy). */
  excessEnergy: number;
  /** Smallest displacement any actuator gave its joint (rad or m) over the push. */
  weakestPush: number;
  /** How far a floating robot was raised to start clear of the ground (m; 0 when it already was). */
  lift: number;
}

const SCENE: SceneSpec = { ground: true, bodies: [], regions: [] };
/** A joint must move this far (rad or m) under a full push to count as driven. */
const MIN_PUSH_DISPLACEMENT = 1e-3;
/** Random torques hold for this many control steps: long enough to build speed, short enough to vary. */
const RANDOM_HOLD_STEPS = 5;

export async function checkRobot(robot: RobotSpec, options: CheckRobotOptions = {}): Promise<string[]> {
  return (await checkRobotReport(robot, options)).problems;
}

export async function checkRobotReport(placed: RobotSpec, options: CheckRobotOptions = {}): Promise<CheckRobotReport> {
  const { seed = 1, seconds = 2, pushSeconds = 0.25 } = options;
  const { robot, lift } = clearOfGround(placed);
  await initPhysics();
  const problems: string[] = [];
  const fail = (text: string) => problems.push(`robot '${robot.name}': ${text}`);
  const report: CheckRobotReport = { problems, excessEnergy: 0, weakestPush: Infinity, lift };
  const probe = tryCreate(robot, fail);
  if (!probe) return report;
  const steps = Math.max(1, Math.round(seconds / probe.controlDt));
  const pushSteps = Math.max(1, Math.round(pushSeconds / probe.controlDt));
  probe.free();

  // Zero torques (servos hold their start targets): a passive robot may only lose energy (damping, contacts), and must stay finite.
  const neutral = neutralCommand(robot);
  const zero = simulate(robot, steps, () => neutral, pushSteps);
  if (zero.failure) fail(`with zero torques ${zero.failure}`);
  // Random torques: energy may grow by the actuators' work, no more.
  const rng = new Rng(seed).fork('check-robot');
  const command = new Float64Array(robot.actuators.length);
  const random = simulate(robot, steps, (step) => {
    if (step % RANDOM_HOLD_STEPS === 0) robot.actuators.forEach((a, k) => (command[k] = rng.uniform(...commandRange(a))));
    return command;
  });
  if (random.failure) fail(`with random torques ${random.failure}`);
  report.excessEnergy = Math.max(zero.excessEnergy, random.excessEnergy);

  // Every actuator, pushing alone at full force, moves its joint further than doing nothing would, its own way.
  if (!zero.failure && zero.pushBaseline) {
    robot.actuators.forEach((actuator, k) => {
      const j = zero.jointIndex.get(actuator.joint)!;
      let failure: string | undefined;
      const unit = robot.joints.find((joint) => joint.name === actuator.joint)?.type === 'prismatic' ? 'm' : 'rad';
      const moved = [1, -1].map((sign) => {
        const push = Float64Array.from(neutral);
        push[k] = pushCommand(actuator, neutral[k], sign, unit === 'rad');
        const run = simulate(robot, pushSteps, () => push);
        failure ??= run.failure;
        return run.failure ? NaN : sign * (run.travelled[j] - zero.pushBaseline![j]);
      });
      const best = Math.max(...moved);
      const how = actuator.servo ? `its ${actuator.servo.kind} servo's target ${actuator.servo.kind === 'position' ? 'a quarter turn (or its range end) either side of the start' : 'at either end of its range'} for ${pushSeconds} s` : `full ${unit === 'm' ? 'force' : 'torque'} (±${actuator.limit}) for ${pushSeconds} s`;
      if (failure) fail(`pushing actuator '${actuator.name}' alone with ${how}, the robot ${failure}`);
      else if (best >= MIN_PUSH_DISPLACEMENT) report.weakestPush = Math.min(report.weakestPush, best);
      else if (Math.min(...moved) <= -MIN_PUSH_DISPLACEMENT) fail(`actuator '${actuator.name}' moves joint '${actuator.joint}' against its command (${how})`);
      else fail(`actuator '${actuator.name}' does not move joint '${actuator.joint}': ${how} moves it ${Math.abs(best).toPrecision(2)} ${unit} (less than ${MIN_PUSH_DISPLACEMENT})`);
    });
  }
  return report;
}

function tryCreate(robot: RobotSpec, fail: (text: string) => void): PhysicsWorld | undefined {
  try {
    return PhysicsWorld.create(robot, SCENE);
  } catch (e) {
    fail(`does not build in the simulator: ${(e as Error).message.split('\n')[0]}`);
    return undefined;
  }
}

/**
 * A full push one way: a torque motor's limit; a servo's target at the end of its range, a position servo's at most a
 * quarter turn from its start (angles read modulo a turn, so a target a whole turn away is where the joint already is).
 */
function pushCommand(actuator: RobotSpec['actuators'][number], neutral: number, sign: number, angular: boolean): number {
  const end = commandRange(actuator)[sign > 0 ? 1 : 0];
  if (actuator.servo?.kind !== 'position' || !angular) return end;
  return sign > 0 ? Math.min(end, neutral + Math.PI / 2) : Math.max(end, neutral - Math.PI / 2);
}

interface RunResult {
  failure?: string;
  excessEnergy: number;
  jointIndex: Map<string, number>;
  /** How far each joint moved from its rest position, unwrapped (a wheel may turn many times). */
  travelled: Float64Array;
  /** `travelled` after `recordAt` steps, the do-nothing reference for the pushes. */
  pushBaseline?: Float64Array;
}

/** Steps a fresh world with the commands `act` gives (undefined: none) and watches finiteness and energy. */
function simulate(robot: RobotSpec, steps: number, act: (step: number) => Float64Array | undefined, recordAt?: number): RunResult {
  const world = PhysicsWorld.create(robot, SCENE);
  const jointIndex = new Map(world.layout.joints.map((j, i) => [j.joint.name, i]));
  const actuatedJoint = robot.actuators.map((a) => jointIndex.get(a.joint)!);
  const travelled = new Float64Array(world.layout.joints.length);
  const turns = world.layout.joints.map((j) => j.joint.type !== 'prismatic');
  const result: RunResult = { excessEnergy: 0, jointIndex, travelled };
  const gravity = robot.physics?.gravity ?? DEFAULT_GRAVITY;
  const servoLimit = robot.actuators.map((a) => (a.servo ? a.limit * (a.gain ?? 1) : 0));
  try {
    const centres = robot.links.map((link) => ({ link, local: centreOfMass(link) }));
    const positions = () => centres.map(({ link, local }) => world.pointPosition(link.name, local));
    const potential = (at: Vec3[]) => centres.reduce((e, { link }, i) => e - link.mass * (gravity[0] * at[i][0] + gravity[1] * at[i][1] + gravity[2] * at[i][2]), 0);
    let before = positions();
    let q = world.jointPositions();
    const startEnergy = potential(before);
    let work = 0;
    // Slack for the solver's own small energy errors, scaled by the robot's weight (a 1 cm drop of everything).
    const slack = 0.05 + 0.01 * Math.hypot(...gravity) * robot.links.reduce((m, l) => m + l.mass, 0);
    for (let step = 1; step <= steps; step++) {
      const command = act(step - 1);
      if (command) world.applyActuators(command);
      const torque = Float64Array.from(world.effort, (e, k) => e * robot.actuators[k].limit * (robot.actuators[k].gain ?? 1));
      world.step();
      if (world.diverged() || !world.sense().every(Number.isFinite)) {
        result.failure = `diverges after ${(step * world.controlDt).toFixed(2)} s (a non-finite state or a body above 100 m/s or 400 rad/s)`;
        return result;
      }
      const after = positions();
      const qNext = world.jointPositions();
      // Angles wrap at ±π: a step's change is the short way round.
      const change = Float64Array.from(qNext, (v, i) => (turns[i] ? wrapAngle(v - q[i]) : v - q[i]));
      change.forEach((d, i) => (travelled[i] += d));
      // The actuators' work: a motor's torque over its joint's change; a servo's force varies inside the step (Rapier
      // solves it), so it is credited the most it could have done, its limit over the change: the check stays an upper bound.
      if (command) actuatedJoint.forEach((j, k) => (work += servoLimit[k] > 0 ? servoLimit[k] * Math.abs(change[j]) : torque[k] * change[j]));
      // Kinetic energy of the centres of mass alone: a lower bound, so the check never blames a sound robot.
      const kinetic = centres.reduce((e, { link }, i) => e + 0.5 * link.mass * (distance(after[i], before[i]) / world.controlDt) ** 2, 0);
      const excess = potential(after) + kinetic - startEnergy - work;
      result.excessEnergy = Math.max(result.excessEnergy, excess);
      if (excess > slack + 0.1 * Math.abs(work)) {
        result.failure = `gains ${excess.toPrecision(3)} J more energy than its actuators put in after ${(step * world.controlDt).toFixed(2)} s (it explodes)`;
        return result;
      }
      if (step === recordAt) result.pushBaseline = Float64Array.from(travelled);
      before = after;
      q = qNext;
    }
    return result;
  } finally {
    world.free();
  }
}

/** Where the simulator puts a link's mass: its inertial origin, else its shapes' volume-weighted centre. */
function centreOfMass(link: LinkSpec): Vec3 {
  const volumes = link.collisions.map((g) => shapeVolume(g.shape));
  const total = volumes.reduce((a, b) => a + b, 0);
  if (link.inertia || total === 0) return link.inertialOrigin?.xyz ?? [0, 0, 0];
  const c: Vec3 = [0, 0, 0];
  link.collisions.forEach((g, i) => g.origin.xyz.forEach((v, k) => (c[k] += (v * volumes[i]) / total)));
  return c;
}


const wrapAngle = (a: number) => a - 2 * Math.PI * Math.round(a / (2 * Math.PI));
const distance = (a: Vec3, b: Vec3) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
