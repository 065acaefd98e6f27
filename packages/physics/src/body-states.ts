// The robot's body states, read from Rapier at most once per step: each vector read is five wasm calls and an
// allocation, and a step's residuals, guardrails, status and next torques read the same bodies several times.
import type { Vec3 } from '@itinera/core';
import type { RAPIER } from './rapier.js';
import type { Quat } from './math.js';

const TRANSLATION = 0;
const ROTATION = 1;
const LINVEL = 2;
const ANGVEL = 3;
/** Values per body: translation 3, rotation 4, linear and angular velocity 3 each. */
const STRIDE = 13;
const OFFSET = [0, 3, 7, 10];

/** Linear (m/s) and angular (rad/s) speed at or beyond which a simulation has blown up. */
const MAX_LINEAR_SPEED = 100;
const MAX_ANGULAR_SPEED = 400;

/** Whether a body at position p moving at v and spinning at w (three values each, from the offsets) has diverged. */
export function runaway(p: ArrayLike<number>, po: number, v: ArrayLike<number>, vo: number, w: ArrayLike<number>, wo: number): boolean {
  const speed2 = v[vo] * v[vo] + v[vo + 1] * v[vo + 1] + v[vo + 2] * v[vo + 2];
  const spin2 = w[wo] * w[wo] + w[wo + 1] * w[wo + 1] + w[wo + 2] * w[wo + 2];
  return !(Number.isFinite(p[po] + p[po + 1] + p[po + 2]) && speed2 < MAX_LINEAR_SPEED ** 2 && spin2 < MAX_ANGULAR_SPEED ** 2);
}

export class BodyStates {
  private bodies: RAPIER.RigidBody[] = [];
  private stale = 1;
  /** Bumped only by new bodies or placed ones: what a fixed body's cached state depends on. */
  private placement = 1;
  private stamps = new Int32Array(0);
  private values = new Float64Array(0);
  private readonly scratch = { x: 0, y: 0, z: 0, w: 0 };

  /** Changes whenever the cached states go stale, so derived values (joint angles, the end effector) can be cached too. */
  get generation(): number {
    return this.stale;
  }

  /** `fixedFirst`: body 0 is a fixed base, which only a placement or a restore moves (read once, not every step). */
  constructor(private readonly fixedFirst = false) {}

  /**
   * A changed state (a step, a push): every moving body's cached value is stale. With `bodies` (a restore, bodies
   * placed by hand): every value is.
   */
  invalidate(bodies?: RAPIER.RigidBody[]): void {
    if (bodies) {
      if (bodies.length !== this.bodies.length) {
        this.stamps = new Int32Array(bodies.length * 4);
        this.values = new Float64Array(bodies.length * STRIDE);
      }
      this.bodies = bodies;
      this.placement++;
    }
    this.stale++;
  }

  translation(i: number): Vec3 {
    const o = this.fresh(i, TRANSLATION);
    return [this.values[o], this.values[o + 1], this.values[o + 2]];
  }

  rotation(i: number): Quat {
    const o = this.fresh(i, ROTATION);
    return [this.values[o], this.values[o + 1], this.values[o + 2], this.values[o + 3]];
  }

  linvel(i: number): Vec3 {
    const o = this.fresh(i, LINVEL);
    return [this.values[o], this.values[o + 1], this.values[o + 2]];
  }

  angvel(i: number): Vec3 {
    const o = this.fresh(i, ANGVEL);
    return [this.values[o], this.values[o + 1], this.values[o + 2]];
  }

  /** True when body i's position is not finite or it moves or spins at or beyond the divergence limits. */
  runaway(i: number): boolean {
    return runaway(this.values, this.fresh(i, TRANSLATION), this.values, this.fresh(i, LINVEL), this.values, this.fresh(i, ANGVEL));
  }

  /** Offset of body i's value of one kind in `values`, read from Rapier if this step has not read it yet. */
  private fresh(i: number, kind: number): number {
    const o = i * STRIDE + OFFSET[kind];
    const current = i === 0 && this.fixedFirst ? this.placement : this.stale;
    if (this.stamps[i * 4 + kind] === current) return o;
    const rb = this.bodies[i];
    // Read into one reused object: Rapier allocates a fresh one per read otherwise.
    const v = this.scratch;
    if (kind === TRANSLATION) rb.translation(v);
    else if (kind === ROTATION) rb.rotation(v as RAPIER.Rotation);
    else if (kind === LINVEL) rb.linvel(v);
    else rb.angvel(v);
    this.values[o] = v.x;
    this.values[o + 1] = v.y;
    this.values[o + 2] = v.z;
    if (kind === ROTATION) this.values[o + 3] = v.w;
    this.stamps[i * 4 + kind] = current;
    return o;
  }
}
