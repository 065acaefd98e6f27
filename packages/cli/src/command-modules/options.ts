// Option helpers the command modules share; nothing heavy is imported here, so `itinera --help` stays fast.
import { availableParallelism } from 'node:os';
import { ItineraError } from '@itinera/core';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import type { RobotLoadOptions } from '../robot-source.js';

/** TensorFlow.js backends a learned model can run on. */
export const BACKEND_CHOICES = ['auto', 'node-gpu', 'node', 'wasm', 'wasm-onnx', 'cpu'] as const;

/** Seeds feed the seeded generator, which takes 32-bit unsigned integers (core's Rng: seed >>> 0). */
export const MAX_SEED = 2 ** 32 - 1;

/**
 * An integer option parsed from the text the user typed (yargs' number type would turn 'abc' into NaN and round
 * 9007199254740993), checked against [min, max].
 */
export function integerOption(flag: string, spec: IntegerSpec & { default: number }): { describe?: string; default: number; requiresArg: true; coerce: (value: unknown) => number };
export function integerOption(flag: string, spec: IntegerSpec): { describe?: string; requiresArg: true; coerce: (value: unknown) => number };
export function integerOption(flag: string, spec: IntegerSpec & { default?: number }): { describe?: string; default?: number; requiresArg: true; coerce: (value: unknown) => number } {
  const { min, max = Number.MAX_SAFE_INTEGER } = spec;
  return {
    // yargs shows no type for an option parsed by coerce alone: the help says it.
    describe: [spec.describe, rangeText(min, max)].filter(Boolean).join('; '),
    ...(spec.default !== undefined && { default: spec.default }),
    requiresArg: true as const,
    coerce: (value: unknown) => parseInteger(flag, value, min, max),
  };
}

interface IntegerSpec {
  describe?: string;
  min: number;
  max?: number;
}

export function parseInteger(flag: string, value: unknown, min: number, max: number): number {
  if (Array.isArray(value)) throw new ItineraError(`${flag} was given ${value.length} times; give it once`);
  const text = String(value).trim();
  const range = rangeText(min, max);
  const n = text === '' ? NaN : Number(text);
  if (Number.isNaN(n)) throw new ItineraError(`${flag} must be ${range}: '${text}' is not a number`);
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new ItineraError(`${flag} must be ${range} (got ${text})`);
  return n;
}

/** `--threads`: threads that roll out one plan's samples on the simulator copy; unset, each command picks its default. */
export function threadsOption(describe: string) {
  return integerOption('--threads', { min: 1, max: 256, describe });
}

/** A run's or a collection's default --threads: every core (plans are the same bits on any number of threads). */
export const machineThreads = availableParallelism();

/** A yargs command module whose handler's arguments are typed by what its builder declares. */
export function commandModule<U>(module: { command: string | string[]; describe: string; builder: (y: Argv) => Argv<U>; handler: (a: ArgumentsCamelCase<U>) => void | Promise<void> }): CommandModule<{}, U> {
  return module;
}

function rangeText(min: number, max: number): string {
  return min === 1 && max === Number.MAX_SAFE_INTEGER ? 'a positive integer' : `an integer from ${min} to ${max}`;
}

/** The robot-loading options run and check-robot share. */
export function withRobotLoadOptions<T>(y: Argv<T>) {
  return y
    .option('fixed-base', { type: 'boolean', describe: "weld the robot's base to the world, whatever its file says" })
    .option('floating-base', { type: 'boolean', describe: "let the robot's base float, whatever its file says" })
    .option('package-path', { type: 'string', array: true, describe: 'folder searched for package://NAME/… meshes after the URDF\'s own ancestors (repeatable; default: ROS_PACKAGE_PATH)' })
    .conflicts('fixed-base', 'floating-base');
}

export function robotLoadOptions(a: { fixedBase?: boolean; floatingBase?: boolean; packagePath?: Array<string | number> }): RobotLoadOptions {
  const fixedBase = a.fixedBase ? true : a.floatingBase ? false : undefined;
  return { ...(fixedBase !== undefined && { fixedBase }), ...(a.packagePath && { packagePath: a.packagePath.map(String) }) };
}
