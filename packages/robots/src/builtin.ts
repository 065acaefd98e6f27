// Built-in robots are plain YAML files in configs/robots/, loaded like any user's file.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ItineraError, type RobotSpec } from '@itinera/core';
import { loadRobotYaml } from './yaml.js';

/** configs/robots/ at the repository root: this file is packages/robots/{src,dist}/builtin.*. */
export const BUILTIN_ROBOTS_DIR = fileURLToPath(new URL('../../../configs/robots/', import.meta.url));

export function builtinRobotNames(): string[] {
  return readdirSync(BUILTIN_ROBOTS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.yaml'))
    .map((entry) => entry.name.slice(0, -'.yaml'.length))
    .sort();
}

export function loadBuiltinRobot(name: string): RobotSpec {
  const names = builtinRobotNames();
  if (!names.includes(name))
    throw new ItineraError(`unknown robot '${name}'; built-in robots: ${names.join(', ')}`);
  return loadRobotYaml(`${BUILTIN_ROBOTS_DIR}${name}.yaml`);
}
