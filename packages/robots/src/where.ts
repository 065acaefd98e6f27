// Turning a path into a robot description into the words a problem line starts with.
import { NAMED_SECTIONS, type NamedSection } from './schema.js';

export type Path = ReadonlyArray<PropertyKey>;

/** A problem found in a robot, with the path of what it concerns so a file loader can add a line. */
export interface Problem {
  path: Path;
  text: string;
}

/** `collisions[0].shape.radius` */
export function formatPath(path: Path): string {
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`))
    .join('');
}

function isNamedSection(key: PropertyKey): key is NamedSection {
  return typeof key === 'string' && Object.hasOwn(NAMED_SECTIONS, key);
}

/**
 * Splits a path into the element it names and the rest: ['joints', 2, 'axis'] in a robot whose third
 * joint is 'elbow' gives `joint 'elbow'` (or `joint 'elbow' (joints[2])` with the index) and ['axis'].
 */
export function splitElement(robot: unknown, path: Path, withIndex: boolean): { element: string; rest: Path } {
  const [section, index] = path;
  if (isNamedSection(section) && typeof index === 'number') {
    const list = (robot as Record<string, unknown> | undefined)?.[section];
    const name = Array.isArray(list) ? (list[index] as { name?: unknown } | undefined)?.name : undefined;
    const at = `${section}[${index}]`;
    const element =
      typeof name === 'string' && name !== ''
        ? `${NAMED_SECTIONS[section]} '${name}'${withIndex ? ` (${at})` : ''}`
        : at;
    return { element, rest: path.slice(2) };
  }
  return { element: path.length ? String(section) : '', rest: path.slice(1) };
}

export function describeValue(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (Array.isArray(value)) return value.every((v) => typeof v !== 'object') ? `[${value.join(', ')}]` : 'a list';
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}
