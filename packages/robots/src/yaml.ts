// Reading a robot from YAML: syntax (yaml), structure (zod) and meaning (validate.ts), with every
// problem reported at once, one line each, naming the file, the element and where possible the line.
import { ItineraError, readTextFile, yamlData, type RobotSpec } from '@itinera/core';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { ELEMENT_SCHEMAS, NAMED_SECTIONS, robotFileSchema } from './schema.js';
import { findElementProblems, findRobotProblems, withUnitAxes, type PartialRobot } from './validate.js';
import { describeValue, formatPath, splitElement, type Path, type Problem } from './where.js';

/**
 * The largest robot YAML file read: yaml's document model takes ~150 bytes of memory per byte of text (a 4 MiB
 * file, 640 MB and 6 s), and a hand-written robot of hundreds of links is well under 100 KiB.
 */
export const MAX_ROBOT_YAML_BYTES = 1024 * 1024;

export function loadRobotYaml(path: string): RobotSpec {
  return parseRobotYaml(readTextFile(path, 'robot file', MAX_ROBOT_YAML_BYTES), path);
}

export function parseRobotYaml(text: string, source: string): RobotSpec {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ItineraError(
      doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        const message = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
        return pos ? `${source}: line ${pos.line}: ${message} (column ${pos.col})` : `${source}: ${message}`;
      }),
    );
  }
  const data: unknown = yamlData(doc, source);
  const lineOf = (path: Path) => lineOfPath(doc, lineCounter, path);
  const withLine = (p: Problem) => {
    const line = lineOf(p.path);
    return `${source}: ${p.text}${line ? ` (line ${line})` : ''}`;
  };

  const parsed = robotFileSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) {
    const structural = parsed.error.issues.map((issue) => ({
      // An unknown key's own line, not its mapping's.
      path: issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]] : issue.path,
      text: issueText(data, issue),
    }));
    // Elements that did parse are checked too, so one run reports everything it can.
    const semantic = findElementProblems(parseElementsAlone(data));
    throw new ItineraError([...structural, ...semantic].map(withLine));
  }
  const spec: RobotSpec = { ...parsed.data, source };
  const problems = findRobotProblems(spec);
  if (problems.length > 0) throw new ItineraError(problems.map(withLine));
  return withUnitAxes(spec);
}

/** `joint 'elbow' (joints[2]): axis: must be [x, y, z] (got [0, 1])` */
function issueText(data: unknown, issue: z.core.$ZodIssue): string {
  const { element, rest } = splitElement(data, issue.path, true);
  const field = formatPath(rest);
  const where = [element, field].filter((s) => s !== '').join(': ');
  if (!where && issue.code === 'invalid_type')
    return `the file must be a mapping of robot fields (got ${describeValue(data)})`;
  return where ? `${where}: ${issueMessage(issue)}` : issueMessage(issue);
}

function issueMessage(issue: z.core.$ZodIssue): string {
  const input = 'input' in issue ? issue.input : undefined;
  const got = ` (got ${describeValue(input)})`;
  const oneOf = (values: readonly unknown[], actual: unknown) =>
    `must be one of ${values.map((v) => `'${String(v)}'`).join(', ')} (got ${describeValue(actual)})`;
  switch (issue.code) {
    case 'invalid_type':
      if (input === undefined) return `missing (expected ${issue.expected})`;
      if (issue.expected === 'tuple') return `must be [x, y, z]${got}`;
      if (typeof input === 'number') return `must be a finite number${got}`;
      return `must be ${issue.expected === 'object' ? 'a mapping' : issue.expected === 'array' ? 'a list' : `a ${issue.expected}`}${got}`;
    case 'too_small':
    case 'too_big':
      return `must be [x, y, z]${got}`; // vec3 tuples are the only sized values in the format
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
    case 'invalid_value':
      return oneOf(issue.values, input);
    case 'invalid_union': // a shape whose type is not one of the known ones
      if (!('options' in issue) || !Array.isArray(issue.options)) return issue.message;
      return oneOf(issue.options, (input as { type?: unknown } | undefined)?.type);
    default:
      return issue.message;
  }
}

/** The named elements that are valid on their own, at their own indices (holes where invalid). */
function parseElementsAlone(data: unknown): PartialRobot {
  const robot: Record<string, unknown[]> = {};
  for (const section of Object.keys(NAMED_SECTIONS) as Array<keyof typeof NAMED_SECTIONS>) {
    const list = (data as Record<string, unknown> | null)?.[section];
    if (!Array.isArray(list)) continue;
    robot[section] = list.map((item) => {
      const result = ELEMENT_SCHEMAS[section].safeParse(item);
      return result.success ? result.data : undefined;
    });
  }
  return robot as PartialRobot;
}

/** The line of the deepest node on path that exists in the file (defaults have no line of their own). */
function lineOfPath(doc: Document, lineCounter: LineCounter, path: Path): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n) as unknown[], true);
    if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
  }
  return undefined;
}
