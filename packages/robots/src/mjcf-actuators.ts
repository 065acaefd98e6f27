// MJCF <actuator> to RobotSpec torque actuators. Itinera's planners command joint torques, so every actuator
// becomes a torque (or force) limit on its joint: gear × the largest force its ctrlrange/forcerange allow.
// Position, velocity and affine general actuators lose their PD law and keep that bound (noted once).
import type { ActuatorSpec } from '@itinera/core';
import type { TreeJoint } from './mjcf-bodies.js';
import type { MjcfDefaults } from './mjcf-defaults.js';
import type { MjcfLog } from './mjcf-log.js';
import type { MjcfElement } from './mjcf-xml.js';

export interface ReadActuator {
  spec: ActuatorSpec;
  element: MjcfElement;
}

const KINDS = ['motor', 'position', 'velocity', 'general'];
const PD_NOTE = "position, velocity and affine general actuators (each became a torque actuator limited to its largest force; the planner commands torques, not MuJoCo's PD targets)";

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
    const limit = forceBound(el, attrs, joint, log, label, notes);
    if (limit === undefined) return;
    const [gear = 1] = log.someNumbers(el, attrs, 'gear', label);
    driven.add(attrs.joint);
    out.push({ spec: { name, joint: attrs.joint, limit: Math.abs(gear) * limit }, element: el });
  });
  return out;
}

/** The largest |force| the actuator can produce, or undefined (reported) when nothing bounds it. */
function forceBound(el: MjcfElement, attrs: Record<string, string>, joint: TreeJoint | undefined, log: MjcfLog, label: string, notes: Set<string>): number | undefined {
  const limited = (flag: string, range: string) => attrs[flag] === 'true' || (attrs[flag] !== 'false' && attrs[range] !== undefined);
  const ctrl = limited('ctrllimited', 'ctrlrange') ? log.numbers(el, attrs, 'ctrlrange', 2, label) : undefined;
  const force = limited('forcelimited', 'forcerange') ? log.numbers(el, attrs, 'forcerange', 2, label) : undefined;
  const bounds = [force ? Math.max(Math.abs(force[0]), Math.abs(force[1])) : Infinity, joint?.forceLimit ?? Infinity];
  const { gain, pd } = gainOf(el, attrs, log, label);
  if (pd) notes.add(PD_NOTE);
  const range = joint?.spec.limit;
  if (ctrl && !pd) bounds.push(Math.abs(gain) * Math.max(Math.abs(ctrl[0]), Math.abs(ctrl[1])));
  // A PD actuator pushes hardest with the target at one end of its range and the joint at the other.
  if (ctrl && pd && el.tag !== 'velocity' && range) bounds.push(Math.abs(gain) * Math.max(Math.abs(ctrl[1] - range.lower), Math.abs(range.upper - ctrl[0])));
  const bound = Math.min(...bounds);
  if (Number.isFinite(bound) && bound > 0) return bound;
  if (bound === 0) log.problem(el, `${label}: its force is bounded to 0, so it cannot move its joint`);
  else log.problem(el, `${label}: nothing bounds its force; give it a forcerange (or a ctrlrange), as Itinera's actuators need a torque limit`);
  return undefined;
}

/** The gain from control to force, and whether the actuator is a PD law on the joint rather than a motor. */
function gainOf(el: MjcfElement, attrs: Record<string, string>, log: MjcfLog, label: string): { gain: number; pd: boolean } {
  switch (el.tag) {
    case 'position':
      return { gain: log.numbers(el, attrs, 'kp', 1, label, [1])[0], pd: true };
    case 'velocity':
      return { gain: log.numbers(el, attrs, 'kv', 1, label, [1])[0], pd: true };
    case 'general': {
      const [gain = 1] = log.someNumbers(el, attrs, 'gainprm', label);
      return { gain, pd: attrs.biastype === 'affine' };
    }
    default:
      return { gain: 1, pd: false };
  }
}
