// One entry for every robot description file: URDF, MJCF, Itinera's YAML and robot modules, told apart by
// extension and, for XML, by the root element (a URDF saved as .xml still reads as URDF).
import { extname } from 'node:path';
import { ItineraError, readTextFile, type RobotSpec } from '@itinera/core';
import { loadRobotModule } from './define-robot.js';
import { MAX_MJCF_BYTES } from './mjcf-xml.js';
import { parseMjcf, type MjcfOptions } from './mjcf.js';
import { parseUrdf, type UrdfOptions } from './urdf.js';
import { loadRobotYaml } from './yaml.js';

export interface RobotImport {
  robot: RobotSpec;
  /** What the importer replaced, approximated or ignored, one line each naming file and element. */
  warnings: string[];
}

export type RobotFileOptions = UrdfOptions & MjcfOptions;

export const ROBOT_MODULE_EXTENSIONS = ['.js', '.mjs', '.ts', '.mts'];

/** Any robot file, modules included (they are imported, hence async). */
export async function loadRobotFile(path: string, options: RobotFileOptions = {}): Promise<RobotImport> {
  if (!ROBOT_MODULE_EXTENSIONS.includes(extname(path).toLowerCase())) return readRobotFile(path, options);
  return { robot: withBase(await loadRobotModule(path), options), warnings: [] };
}

/** A URDF, MJCF or YAML robot file (not a module). */
export function readRobotFile(path: string, options: RobotFileOptions = {}): RobotImport {
  const extension = extname(path).toLowerCase();
  if (extension === '.yaml' || extension === '.yml') return { robot: withBase(loadRobotYaml(path), options), warnings: [] };
  if (ROBOT_MODULE_EXTENSIONS.includes(extension)) throw new ItineraError(`${path}: robot modules load asynchronously; use loadRobotFile`);
  if (extension === '.xacro') throw new ItineraError(`${path}: expand xacro files to URDF first (xacro ${path} > robot.urdf)`);
  const text = readTextFile(path, 'robot file', MAX_MJCF_BYTES);
  const root = rootElement(text);
  if (root === 'mujoco') return parseMjcf(text, path, options);
  if (root === 'robot' || extension === '.urdf') return parseUrdf(text, path, options);
  const found = root ? `its root element is <${root}>` : 'it holds no XML element';
  throw new ItineraError(`${path}: not a robot description Itinera reads (${found}); it reads URDF (<robot>), MJCF (<mujoco>), YAML (.yaml) and robot modules (${ROBOT_MODULE_EXTENSIONS.join(', ')})`);
}

/** The first element's name, past the XML declaration, comments and doctype. */
function rootElement(text: string): string | undefined {
  const stripped = text.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<![^>]*>/g, '');
  return /<\s*([A-Za-z_][\w:.-]*)/.exec(stripped)?.[1];
}

function withBase(robot: RobotSpec, options: RobotFileOptions): RobotSpec {
  return options.fixedBase === undefined ? robot : { ...robot, base: { ...robot.base, fixed: options.fixedBase } };
}
