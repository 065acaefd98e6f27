// The telescope arm as a robot module: the URDF stays the one description, and the module adds what URDF
// has no place for — the end effector that reach-type scenarios move to the target. A benchmark suite can
// then name this file as a robot. `loadUrdfFile(path, { fixedBase: true })` would also weld a URDF without a
// `world` link to the ground.
import { fileURLToPath } from 'node:url';
import { defineRobot, loadUrdfFile } from '@itinera/robots';

const URDF = fileURLToPath(new URL('./telescope-arm.urdf', import.meta.url));

export default defineRobot({
  name: 'telescope-arm',
  create: () => ({ ...loadUrdfFile(URDF).robot, endEffector: { link: 'fingertip' } }),
});
