// Robot modules: a JavaScript or TypeScript file exporting `defineRobot({ name, spec })` or
// `defineRobot({ name, create })`. The spec takes the YAML format's fields and defaults and goes through the
// same structural and semantic checks, so a module robot fails with the same kind of lines a file does.
import { pathToFileURL } from 'node:url';
import { isItineraError, ItineraError, type RobotSpec } from '@itinera/core';
import type { z } from 'zod';
import { robotFileSchema, type RobotFile } from './schema.js';
import { checkRobotSpec } from './validate.js';
import { formatPath, splitElement } from './where.js';

/** A robot as a module writes it: the YAML format's fields and defaults; `name` defaults to the definition's. */
export type RobotInput = Omit<RobotFile, 'name'> & { name?: string; source?: string };

export interface RobotDefinition {
  /** The robot's name, known without building it. */
  readonly name: string;
  /** The description itself… */
  readonly spec?: RobotInput;
  /** …or a function that makes it (reads a URDF with options, computes link lengths). */
  readonly create?: () => RobotInput | Promise<RobotInput>;
}

// A global symbol, so a definition made by another copy of this package is still recognised.
const ROBOT_DEFINITION = Symbol.for('itinera.robot-definition');

/** Marks a robot definition so a module's named exports can be told apart; it is checked when built, with its file's name. */
export function defineRobot(definition: RobotDefinition): RobotDefinition {
  return Object.freeze({ ...definition, [ROBOT_DEFINITION]: true });
}

export function isRobotDefinition(value: unknown): value is RobotDefinition {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<PropertyKey, unknown>;
  return v[ROBOT_DEFINITION] === true || (typeof v.name === 'string' && (typeof v.spec === 'object' || typeof v.create === 'function'));
}

function definitionProblems(d: RobotDefinition): string[] {
  const problems: string[] = [];
  if (typeof d?.name !== 'string' || d.name.trim() === '') problems.push('name must be a non-empty string');
  const hasSpec = d?.spec !== undefined;
  const hasCreate = d?.create !== undefined;
  if (hasSpec === hasCreate) problems.push(`robot '${d?.name}': give exactly one of spec or create()`);
  if (hasCreate && typeof d.create !== 'function') problems.push(`robot '${d.name}': create must be a function`);
  return problems;
}

/** The checked RobotSpec of a definition; every problem is one line starting with `source`. */
export async function buildRobot(definition: RobotDefinition, source: string): Promise<RobotSpec> {
  const shape = definitionProblems(definition);
  if (shape.length > 0) throw new ItineraError(shape.map((p) => `${source}: ${p}`));
  let input: RobotInput;
  try {
    input = definition.spec ?? (await definition.create!());
  } catch (e) {
    if (isItineraError(e)) throw e; // e.g. a URDF the module read was invalid: its lines name that file
    throw new ItineraError(`${source}: robot '${definition.name}': create() failed: ${(e as Error)?.message ?? String(e)}`);
  }
  if (typeof input !== 'object' || input === null)
    throw new ItineraError(`${source}: robot '${definition.name}': the spec must be an object (got ${input === null ? 'null' : typeof input})`);
  if (input.name !== undefined && input.name !== definition.name)
    throw new ItineraError(`${source}: robot '${definition.name}': spec.name '${input.name}' differs from the definition's name`);
  const { source: _ignored, ...fields } = input;
  const data = { ...fields, name: definition.name };
  const parsed = robotFileSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) throw new ItineraError(parsed.error.issues.map((issue) => `${source}: ${issueLine(data, issue)}`));
  return checkRobotSpec(parsed.data, source);
}

/** `joint 'elbow' (joints[1]): axis: Invalid input: expected tuple, received string`, in zod's words. */
function issueLine(data: unknown, issue: z.core.$ZodIssue): string {
  const { element, rest } = splitElement(data, issue.path, true);
  return [element, formatPath(rest), issue.message].filter((s) => s !== '').join(': ');
}

/** Imports a robot module (.js, .mjs, or .ts when tsx is present) and builds the robot it exports. */
export async function loadRobotModule(path: string): Promise<RobotSpec> {
  const module = await importModule(path);
  const definition = pickDefinition(module, path);
  return buildRobot(definition, path);
}

function pickDefinition(module: Record<string, unknown>, path: string): RobotDefinition {
  if (isRobotDefinition(module.default)) return module.default;
  const named = Object.entries(module).filter(([key, value]) => key !== 'default' && isRobotDefinition(value));
  if (named.length === 1) return named[0][1] as RobotDefinition;
  if (named.length > 1)
    throw new ItineraError(`${path}: exports several robots (${named.map(([k]) => k).join(', ')}); default-export the one to use`);
  throw new ItineraError(`${path}: exports no robot; write \`export default defineRobot({ name, spec })\` (or create() instead of spec)`);
}

async function importModule(path: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(path).href;
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (e) {
    const error = e as NodeJS.ErrnoException;
    if (error?.code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw moduleError(path, error);
  }
  // Plain Node cannot import TypeScript; tsx can, when it is installed (it is this repository's dev dependency).
  const tsxApi = 'tsx/esm/api';
  const tsx = (await import(tsxApi).catch(() => undefined)) as { tsImport?: (s: string, parent: string) => Promise<Record<string, unknown>> } | undefined;
  if (!tsx?.tsImport)
    throw new ItineraError(`${path}: cannot import a TypeScript robot module without tsx; run itinera through tsx (npx tsx …) or compile the module to .js`);
  try {
    return await tsx.tsImport(url, import.meta.url);
  } catch (e) {
    throw moduleError(path, e as Error);
  }
}

/** A module that fails to load is the user's to fix: one line, no stack. */
function moduleError(path: string, error: Error): ItineraError {
  if (isItineraError(error)) return error;
  const first = String(error?.message ?? error).split('\n')[0];
  // Outside this repository `@itinera/…` does not resolve; defineRobot is only a marker, so it can go.
  const hint = /Cannot find (package|module) '@itinera\//.test(first)
    ? "; a module outside Itinera's repository can export the plain object `export default { name, spec }` (or { name, create }) without importing defineRobot (docs/custom-robots.md)"
    : '';
  return new ItineraError(`${path}: cannot load robot module: ${first}${hint}`);
}
