import { existsSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { ItineraError, type RobotSpec } from '@itinera/core';
import { builtinRobotNames, loadBuiltinRobot, loadRobotFile } from '@itinera/robots';

/** `--robot` takes a built-in name or a description file. */
export function resolveRobot(nameOrPath: string, endEffector?: string): RobotSpec {
  const looksLikeFile = /[\\/]/.test(nameOrPath) || extname(nameOrPath) !== '';
  let robot: RobotSpec;
  if (looksLikeFile) {
    const path = resolve(nameOrPath);
    if (!existsSync(path)) throw new ItineraError(`robot file '${nameOrPath}' does not exist`);
    robot = loadRobotFile(path);
  } else if (builtinRobotNames().includes(nameOrPath)) {
    robot = loadBuiltinRobot(nameOrPath);
  } else {
    throw new ItineraError(`unknown robot '${nameOrPath}' (built-in: ${builtinRobotNames().join(', ')}; or pass a .yaml file)`);
  }
  if (endEffector !== undefined) {
    if (!robot.links.some((l) => l.name === endEffector)) {
      throw new ItineraError(`--end-effector: robot '${robot.name}' has no link '${endEffector}' (links: ${robot.links.map((l) => l.name).join(', ')})`);
    }
    robot = { ...robot, endEffector: { link: endEffector, point: [0, 0, 0] } };
  }
  return robot;
}
