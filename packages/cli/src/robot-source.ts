import { existsSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { ItineraError, type RobotSpec } from '@itinera/core';
import { builtinRobotNames, loadBuiltinRobot, loadRobotModule, readRobotFile, ROBOT_MODULE_EXTENSIONS, robotWarnings } from '@itinera/robots';
import { didYouMean } from './suggest.js';

const MODULE_EXTENSIONS = ROBOT_MODULE_EXTENSIONS;
/** readRobotFile tells URDF from MJCF by content; these are the extensions worth opening. */
const FILE_EXTENSIONS = ['.urdf', '.xml', '.mjcf', '.yaml', '.yml', '.xacro'];

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
 * `--robot` with everything it takes: a built-in name, a URDF, MJCF or YAML file, or a module that exports
 * defineRobot(…) (modules are imported, hence async).
 */
export async function resolveRobotAsync(nameOrPath: string, endEffector?: string, warn: Warn = printWarning, load: RobotLoadOptions = {}): Promise<RobotSpec> {
  const module = robotModulePath(nameOrPath);
  const robot = withBase(module ? await loadRobotModule(module) : loadRobot(nameOrPath, warn, load), load);
  robotWarnings(robot, robot.source ?? nameOrPath).forEach(warn);
  return withEndEffector(robot, endEffector);
}

/** The synchronous part of `--robot`: built-in names, URDF, MJCF and YAML files (not modules). */
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
  if (!FILE_EXTENSIONS.includes(extension)) throw new ItineraError(`${nameOrPath}: not a robot description Itinera reads (${extension || 'no extension'}); --robot takes ${kinds()}`);
  const { robot, warnings } = readRobotFile(path, load);
  warnings.forEach(warn);
  return robot;
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
  return `a built-in name (${builtinRobotNames().join(', ')}), a .urdf, MJCF .xml or .yaml file, or a robot module (${MODULE_EXTENSIONS.join(', ')})`;
}
