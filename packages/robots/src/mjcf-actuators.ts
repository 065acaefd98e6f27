// MJCF <actuator> to RobotSpec actuators on joints. A `motor` is a torque (or force) motor: gear × the largest force
// its ctrlrange/forcerange allow. `position`, `velocity` and affine `general` actuators are servos: the planner
// commands their targets and the simulator applies MuJoCo's PD law as a torque every physics step (noted once,
// since MuJoCo integrates kv implicitly).
import type { ActuatorSpec, ServoSpec } from '@itinera/core';
import type { TreeJoint } from './mjcf-bodies.js';
import type { MjcfDefaults } from './mjcf-defaults.js';
import type { MjcfLog } from './mjcf-log.js';
import type { MjcfElement } from './mjcf-xml.js';

export interface ReadActuator {
  spec: ActuatorSpec;
  element: MjcfElement;
}

const KINDS = ['motor', 'position', 'velocity', 'general'];
const PD_NOTE = "position, velocity and affine general actuators (servos: the planner commands their targets and MuJoCo's PD law is applied as a torque every physics step, its kv explicitly rather than implicitly)";

/** A servo's PD law before gear: force = kp·ctrl − kp·length − kv·velocity, or kv·(ctrl − velocity). */
interface PdLaw {
  kind: ServoSpec['kind'];
  kp: number;
  kv: number;
}

export function readActuators(section: MjcfElement[], defaults: MjcfDefaults, joints: TreeJoint[], log: MjcfLog, notes: Set<string>): ReadActuator[] {
  const out: ReadActuator[] = [];
  const jointByName = new Map(joints.map((j) => [j.spec.name, j]));
  const driven = new Set<string>();
  section.forEach((el, i) => {
    if (!KINDS.includes(el.tag)) return void notes.add(`<${el.tag}> actuators`);
    const attrs = defaults.attrs(el, undefined);
    const name = attrs.name ?? `actuator${i}`;
    const label = `actuator '${name}'`;
    if (attrs.joint === undefined) return void notes.add('actuators on tendons, sites or bodies (only joint actuators are read)');
    if (driven.has(attrs.joint)) return void notes.add('second actuators on an already driven joint');
    const joint = jointByName.get(attrs.joint);
    const [gear = 1] = log.someNumbers(el, attrs, 'gear', label);
    const law = pdLawOf(el, attrs, log, label, notes);
    const ctrl = limited(attrs, 'ctrllimited', 'ctrlrange') ? log.numbers(el, attrs, 'ctrlrange', 2, label) : undefined;
    const limit = forceBound(el, attrs, law, ctrl, joint, log, label);
    if (limit === undefined) return;
    driven.add(attrs.joint);
    const spec: ActuatorSpec = { name, joint: attrs.joint, limit: Math.abs(gear) * limit };
    if (law) {
      notes.add(PD_NOTE);
      spec.servo = servoOf(law, gear, ctrl, joint, limit);
    }
    out.push({ spec, element: el });
  });
  return out;
}

const limited = (attrs: Record<string, string>, flag: string, range: string) => attrs[flag] === 'true' || (attrs[flag] !== 'false' && attrs[range] !== undefined);

/** The actuator's PD law, or undefined for a motor (a plain gain on the control). */
function pdLawOf(el: MjcfElement, attrs: Record<string, string>, log: MjcfLog, label: string, notes: Set<string>): PdLaw | undefined {
  switch (el.tag) {
    case 'position':
      if (attrs.dampratio !== undefined) notes.add('position actuators\' dampratio (kv is read; dampratio is not)');
      return { kind: 'position', kp: log.numbers(el, attrs, 'kp', 1, label, [1])[0], kv: log.numbers(el, attrs, 'kv', 1, label, [0])[0] };
    case 'velocity':
      return { kind: 'velocity', kp: 0, kv: log.numbers(el, attrs, 'kv', 1, label, [1])[0] };
    case 'general': {
      if (attrs.biastype !== 'affine') return undefined;
      const [gain = 1] = log.someNumbers(el, attrs, 'gainprm', label);
      const [, b1 = 0, b2 = 0] = log.someNumbers(el, attrs, 'biasprm', label);
      // force = gain·ctrl + b1·length + b2·velocity: a position servo when b1 = −gain, a velocity servo when b1 = 0.
      if (b1 === 0) return { kind: 'velocity', kp: 0, kv: gain };
      if (Math.abs(b1 + gain) > 1e-9 * Math.abs(gain)) notes.add("affine general actuators whose biasprm[1] is not −gainprm[0] (read as position servos with kp = gainprm[0])");
      return { kind: 'position', kp: gain, kv: -b2 };
    }
    default:
      return undefined;
  }
}

/** The largest |force| the actuator can produce, or undefined (reported) when nothing bounds it. */
function forceBound(el: MjcfElement, attrs: Record<string, string>, law: PdLaw | undefined, ctrl: number[] | undefined, joint: TreeJoint | undefined, log: MjcfLog, label: string): number | undefined {
  const force = limited(attrs, 'forcelimited', 'forcerange') ? log.numbers(el, attrs, 'forcerange', 2, label) : undefined;
  const bounds = [force ? Math.max(Math.abs(force[0]), Math.abs(force[1])) : Infinity, joint?.forceLimit ?? Infinity];
  const range = joint?.spec.limit;
  if (ctrl && !law) {
    const [gain = 1] = el.tag === 'general' ? log.someNumbers(el, attrs, 'gainprm', label) : [];
    bounds.push(Math.abs(gain) * Math.max(Math.abs(ctrl[0]), Math.abs(ctrl[1])));
  }
  // A position servo pushes hardest with the target at one end of its range and the joint at the other.
  if (ctrl && law?.kind === 'position' && range) bounds.push(Math.abs(law.kp) * Math.max(Math.abs(ctrl[1] - range.lower), Math.abs(range.upper - ctrl[0])));
  const bound = Math.min(...bounds);
  if (Number.isFinite(bound) && bound > 0) return bound;
  if (bound === 0) log.problem(el, `${label}: its force is bounded to 0, so it cannot move its joint`);
  else log.problem(el, `${label}: nothing bounds its force; give it a forcerange (or a ctrlrange), as Itinera's actuators need a torque limit`);
  return undefined;
}

/**
 * The servo on the joint: MuJoCo's length is gear·q, so a gear g turns kp, kv into g²·kp, g²·kv and ctrl into a joint
 * target ctrl/g. Without a ctrlrange a position servo's targets span the joint's range, a velocity servo's the speeds
 * at which its force saturates.
 */
function servoOf(law: PdLaw, gear: number, ctrl: number[] | undefined, joint: TreeJoint | undefined, limit: number): ServoSpec {
  const g = gear === 0 ? 1 : gear;
  const fallback = law.kind === 'position' ? [joint?.spec.limit?.lower ?? -Math.PI, joint?.spec.limit?.upper ?? Math.PI] : [-limit / Math.abs(law.kv || 1), limit / Math.abs(law.kv || 1)];
  const [a, b] = ctrl ? ctrl.map((c) => c / g) : fallback;
  return { kind: law.kind, kp: g * g * law.kp, kv: g * g * law.kv, range: [Math.min(a, b), Math.max(a, b)] };
}
