// A WorldView over one imagined state of a learned model: the channels its readouts decode, and for every other
// observation channel its value at the plan's start (held: goals, door flags). The scenario's own residuals then
// run on the model unchanged, subgoal included (the end effector by forward kinematics); what no observation channel
// carries (contacts, scene bodies without NAME.x/y/z channels) throws.
import { ItineraError, linkPointPosition, type RobotSpec, type Vec3, type WorldView } from '@itinera/core';

export class ReadoutView implements WorldView {
  private readonly index: Map<string, number>;
  private readonly jointColumns: number[];
  private readonly velocityNames: string[];
  /** Start observation with this state's decoded channels written over it. */
  private readonly values: Float64Array;
  private readonly decodedColumns: number[];

  constructor(
    readonly robot: RobotSpec,
    observationNames: readonly string[],
    readouts: readonly string[],
  ) {
    this.index = new Map(observationNames.map((n, i) => [n, i]));
    this.jointColumns = observationNames.flatMap((n, i) => (n.startsWith('qpos.') ? [i] : []));
    this.velocityNames = this.jointColumns.map((i) => `qvel.${observationNames[i].slice('qpos.'.length)}`);
    this.decodedColumns = readouts.map((r) => this.index.get(r)!);
    this.values = new Float64Array(observationNames.length);
  }

  /** Points the view at one state: `start` (the plan's start observation), overwritten by row `row` of `decoded`. */
  load(start: ArrayLike<number>, decoded: ArrayLike<number>, row: number): this {
    this.values.set(start);
    const r = this.decodedColumns.length;
    for (let j = 0; j < r; j++) this.values[this.decodedColumns[j]] = decoded[row * r + j];
    return this;
  }

  private channel(name: string, fallback?: number): number {
    const i = this.index.get(name);
    if (i === undefined) {
      if (fallback !== undefined) return fallback;
      throw new ItineraError(`the learned model's cost reads '${name}', which the env does not observe`);
    }
    return this.values[i];
  }

  get time(): number {
    throw new ItineraError('a learned model imagines no clock: the task cost must not read time');
  }

  basePosition(): Vec3 {
    return [this.channel('base.x'), this.channel('base.y'), this.channel('base.z', 0)];
  }

  baseQuaternion(): [number, number, number, number] {
    const q: [number, number, number, number] = [this.channel('base.qx', 0), this.channel('base.qy', 0), this.channel('base.qz'), this.channel('base.qw')];
    // Decoded quaternions are near unit, not exactly: normalise so yaw and tilt read true.
    const n = Math.hypot(...q) || 1;
    return [q[0] / n, q[1] / n, q[2] / n, q[3] / n];
  }

  baseVelocity(): Vec3 {
    return [this.channel('base.vx'), this.channel('base.vy'), this.channel('base.vz', 0)];
  }

  jointPositions(): Float64Array {
    return Float64Array.from(this.jointColumns, (i) => this.values[i]);
  }

  jointVelocities(): Float64Array {
    return Float64Array.from(this.velocityNames, (n) => this.channel(n));
  }

  /** From the decoded base pose and joint angles by the robot's kinematics (joints no channel carries sit at 0). */
  endEffectorPosition(): Vec3 {
    const ee = this.robot.endEffector;
    if (!ee) throw new ItineraError(`${this.robot.name} names no end effector`);
    return linkPointPosition(this.robot, ee.link, ee.point, this.basePosition(), this.baseQuaternion(), (joint) => this.channel(`qpos.${joint}`, 0));
  }

  pointPosition(link: string): Vec3 {
    throw new ItineraError(`the learned model decodes no link positions (asked for '${link}')`);
  }

  linkInContact(link: string): boolean {
    throw new ItineraError(`the learned model decodes no contacts (asked for '${link}')`);
  }

  /** A scene body the task observes as NAME.x, NAME.y, NAME.z (push's box); any other body throws. */
  bodyPosition(name: string): Vec3 {
    if (!this.index.has(`${name}.x`) || !this.index.has(`${name}.y`)) throw new ItineraError(`the learned model decodes no scene body '${name}' (no ${name}.x and ${name}.y channels)`);
    return [this.channel(`${name}.x`), this.channel(`${name}.y`), this.channel(`${name}.z`, 0)];
  }
}
