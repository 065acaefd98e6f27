// Reading and writing the user's files: every failure becomes one line naming the path, never a stack trace.
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ItineraError } from './errors.js';

const REASONS: Record<string, string> = {
  ENOENT: 'file not found',
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EEXIST: 'already exists',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'name too long',
  ELOOP: 'too many symbolic links',
};

/** `path: cannot <doing>: <reason>` for a Node system error; anything else is a bug and is rethrown. */
export function fileError(path: string, doing: string, error: unknown): ItineraError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== 'string' || !(error instanceof Error)) throw error;
  return new ItineraError(`${path}: cannot ${doing}: ${REASONS[code] ?? error.message.split('\n')[0]}`);
}

/** Runs a file-system call, turning a system error into one line naming `path`. */
export function withFileErrors<T>(path: string, doing: string, action: () => T): T {
  try {
    return action();
  } catch (error) {
    throw fileError(path, doing, error);
  }
}

/**
 * Reads a text file the user named: missing, unreadable, larger than `maxBytes` or not valid UTF-8 is one line
 * naming it (invalid bytes would otherwise become U+FFFD silently, and names would stop matching).
 */
export function readTextFile(path: string, what: string, maxBytes: number): string {
  const size = withFileErrors(path, `read ${what}`, () => statSync(path));
  if (size.isDirectory()) throw new ItineraError(`${path}: cannot read ${what}: is a directory`);
  // A device or pipe (/dev/zero, /dev/stdin) reports size 0 and may never end.
  if (!size.isFile()) throw new ItineraError(`${path}: cannot read ${what}: not a regular file`);
  if (size.size > maxBytes)
    throw new ItineraError(`${path}: ${what} is ${formatBytes(size.size)}; the limit is ${formatBytes(maxBytes)} (parsing it would take many times that in memory)`);
  const bytes = withFileErrors(path, `read ${what}`, () => readFileSync(path));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const { line, column, byte } = firstInvalidUtf8(bytes);
    throw new ItineraError(`${path}: line ${line}, column ${column}: not valid UTF-8 (byte 0x${byte.toString(16)}); save the file as UTF-8`);
  }
}

/** Where the first invalid byte is: the replacement character a lenient decode puts there marks it. */
function firstInvalidUtf8(bytes: Uint8Array): { line: number; column: number; byte: number } {
  const text = new TextDecoder('utf-8').decode(bytes);
  const at = text.indexOf('\uFFFD');
  const before = text.slice(0, at);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: at - lineStart + 1, byte: bytes[Buffer.byteLength(before)] };
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 10 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

/**
 * Makes `dir` and any missing parents, as `mkdir -p` does; `label` (an option and its value) starts every error
 * line. Node's own recursive mkdir loops forever where the file system refuses a new entry under an existing
 * parent (/proc), so each level is made on its own.
 */
export function makeDirectory(dir: string, label: string): void {
  const missing: string[] = [];
  let at = resolve(dir);
  for (let up = dirname(at); !existsSync(at) && up !== at; up = dirname(at)) {
    missing.unshift(at);
    at = up;
  }
  if (!statSync(at).isDirectory()) throw new ItineraError(`${label}: ${at} is a file, not a directory`);
  for (const level of missing) {
    try {
      mkdirSync(level);
    } catch (error) {
      // ENOENT with the parent present: a virtual file system (/proc, /sys) that takes no new entries.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && existsSync(dirname(level)))
        throw new ItineraError(`${label}: cannot create directory ${level}: ${dirname(level)} does not take new entries`);
      throw fileError(label, `create directory ${level}`, error);
    }
  }
}

/** Makes the directory a file is about to be written into (a user naming runs/a.jsonl expects runs/ to appear). */
export function makeParentDirectory(file: string, label: string): void {
  makeDirectory(dirname(resolve(file)), label);
}
