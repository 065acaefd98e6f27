// A robot module: a planar arm computed from its link lengths, the kind of robot code describes better than
// a file. Each link is a capsule along its x axis; every joint turns about z, one layer above the last
// (SCARA style) so the links never touch. Check it with
//   node packages/cli/bin/itinera.js check-robot configs/robots/examples/planar-arm.ts --simulate
import { defineRobot, type RobotInput } from '@itinera/robots';

const LINK_LENGTHS = [0.35, 0.3, 0.2]; // metres, shoulder to fingertip
const LINK_MASS_PER_METRE = 1.0; // kg/m
const TORQUE_LIMITS = [3.0, 2.0, 1.0]; // N·m, the inner joints carry more of the arm

function planarArm(lengths: number[]): RobotInput {
  const links: NonNullable<RobotInput['links']> = [
    { name: 'base', mass: 1.0, inertia: { ixx: 0.00076, iyy: 0.00076, izz: 0.00125 }, collisions: [{ shape: { type: 'cylinder', radius: 0.05, length: 0.04 } }] },
  ];
  const joints: NonNullable<RobotInput['joints']> = [];
  lengths.forEach((length, i) => {
    const mass = LINK_MASS_PER_METRE * length;
    const across = Math.max((mass * length * length) / 12, 2e-4); // rod inertia, floored for the solver
    links.push({
      name: `link${i + 1}`,
      mass,
      inertialOrigin: { xyz: [length / 2, 0, 0] },
      inertia: { ixx: 2e-4, iyy: across, izz: across },
      collisions: [{ shape: { type: 'capsule', radius: 0.02, length: length - 0.05 }, origin: { xyz: [length / 2, 0, 0], rpy: [0, Math.PI / 2, 0] } }],
    });
    joints.push({
      name: `joint${i + 1}`,
      type: 'revolute',
      parent: i === 0 ? 'base' : `link${i}`,
      child: `link${i + 1}`,
      origin: { xyz: [i === 0 ? 0 : lengths[i - 1], 0, 0.05] }, // each link one layer above its parent
      axis: [0, 0, 1],
      limit: { lower: -2.6, upper: 2.6 },
      damping: 0.05,
    });
  });
  links.push({ name: 'fingertip', mass: 0.05, inertia: { ixx: 1e-4, iyy: 1e-4, izz: 1e-4 }, collisions: [{ shape: { type: 'sphere', radius: 0.015 } }] });
  joints.push({ name: 'fingertip_mount', type: 'fixed', parent: `link${lengths.length}`, child: 'fingertip', origin: { xyz: [lengths[lengths.length - 1], 0, 0] } });
  return {
    base: { link: 'base', fixed: true, pose: { xyz: [0, 0, 0.1] } },
    links,
    joints,
    actuators: lengths.map((_, i) => ({ name: `joint${i + 1}`, joint: `joint${i + 1}`, limit: TORQUE_LIMITS[i] })),
    endEffector: { link: 'fingertip' },
  };
}

export default defineRobot({ name: 'planar-arm', create: () => planarArm(LINK_LENGTHS) });
