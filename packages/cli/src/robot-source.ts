import { existsSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { ItineraError, type RobotSpec } from '@itinera/core';
import { builtinRobotNames, loadBuiltinRobot, loadRobotFile, loadRobotModule, loadUrdfFile, robotWarnings } from '@itinera/robots';
import { didYouMean } from './suggest.js';

const MODULE_EXTENSIONS = ['.js', '.mjs', '.ts', '.mts'];

/** Where importer warnings go: stderr, so `--json` keeps stdout to its one summary. */
function printWarning(line: string): void {
  process.stderr.write(`itinera: warning: ${line}\n`);
}

type Warn = (line: string) => void;

/** How a robot file is loaded: `--fixed-base` / `--floating-base` override the file; `--package-path` finds meshes. */
export interface RobotLoadOptions {
  fixedBase?: boolean;
  packagePath?: string[];
}

/**
 * `--robot` with everything it takes: a built-in name, a .urdf or .yaml/.yml file, or a module that exports
 * defineRobot(…) (modules are imported, hence async).
 */
export async function resolveRobotAsync(nameOrPath: string, endEffector?: string, warn: Warn = printWarning, load: RobotLoadOptions = {}): Promise<RobotSpec> {
  const module = robotModulePath(nameOrPath);
  const robot = withBase(module ? await loadRobotModule(module) : loadRobot(nameOrPath, warn, load), load);
  robotWarnings(robot, robot.source ?? nameOrPath).forEach(warn);
  return withEndEffector(robot, endEffector);
}

/** The synchronous part of `--robot`: built-in names, .urdf and .yaml/.yml files (not modules). */
export function resolveRobot(nameOrPath: string, endEffector?: string, warn: Warn = printWarning, load: RobotLoadOptions = {}): RobotSpec {
  if (robotModulePath(nameOrPath)) throw new ItineraError(`${nameOrPath}: robot modules load asynchronously; use resolveRobotAsync`);
  const robot = withBase(loadRobot(nameOrPath, warn, load), load);
  robotWarnings(robot, robot.source ?? nameOrPath).forEach(warn);
  return withEndEffector(robot, endEffector);
}

const looksLikeFile = (nameOrPath: string) => /[\\/]/.test(nameOrPath) || extname(nameOrPath) !== '';

function robotModulePath(nameOrPath: string): string | undefined {
  if (!looksLikeFile(nameOrPath) || !MODULE_EXTENSIONS.includes(extname(nameOrPath).toLowerCase())) return undefined;
  const path = resolve(nameOrPath);
  if (!existsSync(path)) throw new ItineraError(`robot module '${nameOrPath}' does not exist`);
  return path;
}

/** `--fixed-base` / `--floating-base`: any robot, whatever its description says. */
function withBase(robot: RobotSpec, load: RobotLoadOptions): RobotSpec {
  return load.fixedBase === undefined ? robot : { ...robot, base: { ...robot.base, fixed: load.fixedBase } };
}

function loadRobot(nameOrPath: string, warn: Warn, load: RobotLoadOptions): RobotSpec {
  if (!looksLikeFile(nameOrPath)) {
    if (!builtinRobotNames().includes(nameOrPath)) throw new ItineraError(`unknown robot '${nameOrPath}'${didYouMean(nameOrPath, builtinRobotNames())}; --robot takes ${kinds()}`);
    return loadBuiltinRobot(nameOrPath);
  }
  const path = resolve(nameOrPath);
  if (!existsSync(path)) throw new ItineraError(`robot file '${nameOrPath}' does not exist`);
  const extension = extname(path).toLowerCase();
  if (extension === '.urdf') {
    const { robot, warnings } = loadUrdfFile(path, load);
    warnings.forEach(warn);
    return robot;
  }
  if (extension === '.yaml' || extension === '.yml') return loadRobotFile(path);
  if (extension === '.xacro') throw new ItineraError(`${nameOrPath}: expand xacro files to URDF first (xacro ${nameOrPath} > robot.urdf)`);
  throw new ItineraError(`${nameOrPath}: not a robot description Itinera reads (${extension || 'no extension'}); --robot takes ${kinds()}`);
}

/** `--end-effector` names a link (its origin) or a frame (a merged frame link such as tool0). */
function withEndEffector(robot: RobotSpec, endEffector: string | undefined): RobotSpec {
  if (endEffector === undefined) return robot;
  if (robot.links.some((l) => l.name === endEffector)) return { ...robot, endEffector: { link: endEffector, point: [0, 0, 0] } };
  const frame = robot.frames?.find((f) => f.name === endEffector);
  if (frame) return { ...robot, endEffector: { link: frame.link, point: frame.origin.xyz } };
  const frames = robot.frames?.length ? `; frames: ${robot.frames.map((f) => f.name).join(', ')}` : '';
  throw new ItineraError(`--end-effector: robot '${robot.name}' has no link or frame '${endEffector}' (links: ${robot.links.map((l) => l.name).join(', ')}${frames})`);
}

function kinds(): string {
  return `a built-in name (${builtinRobotNames().join(', ')}), a .urdf or .yaml file, or a robot module (${MODULE_EXTENSIONS.join(', ')})`;
}
