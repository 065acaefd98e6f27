// A benchmark suite: a YAML file naming scenarios × robots × planners × seeds, or including other suite files
// (suite-tree.ts), validated before anything runs.
import { existsSync } from 'node:fs';
import { ItineraError, parseWithSchema, readTextFile, yamlData } from '@itinera/core';
import { parseDocument } from 'yaml';
import { z } from 'zod';

const options = z.record(z.string(), z.unknown()).default({});

/** One suite cell of a claim: a scenario and a planner entry by name (`sim` / `name`) or by position, and a robot. */
const claimArm = z
  .object({
    scenario: z.union([z.string().min(1), z.number().int().nonnegative()]),
    planner: z.union([z.string().min(1), z.number().int().nonnegative()]),
    robot: z.union([z.string().min(1), z.number().int().nonnegative()]).optional(),
  })
  .strict();

/**
 * A comparison the report judges: `beats`: a's success rate exceeds b's by more than `margin`; `not-worse`: a's is at
 * most `margin` below b's (a non-inferiority claim: "within 10 points of the simulator" is not-worse, margin 0.1).
 */
const claim = z
  .object({
    name: z.string().regex(/^[\w.-]+$/, 'use letters, digits, dot, dash or underscore'),
    statement: z.string().optional(),
    a: claimArm,
    b: claimArm,
    expect: z.enum(['beats', 'not-worse']),
    margin: z.number().min(0).max(1).default(0),
  })
  .strict();

/**
 * Episodes one suite may ask for. At a second or more each that is over a day of CPU, and every episode's
 * spec (~1 KB) is held in memory from the start; a larger study is several suites.
 */
export const MAX_SUITE_EPISODES = 100_000;
/** Suite files are a few lines; past this, yaml's document model would take hundreds of MB. */
export const MAX_SUITE_BYTES = 1024 * 1024;
/** Seeds are 32-bit: larger ones would alias smaller ones. */
const MAX_SEED = 2 ** 32 - 1;

const suiteName = z.string().regex(/^[\w.-]+$/, 'use letters, digits, dot, dash or underscore');
const seeds = z.union(
  [
    z.number().int().positive(),
    z
      .array(z.number().int().nonnegative().max(MAX_SEED, `seeds are 32-bit: at most ${MAX_SEED}`))
      .min(1)
      .refine((s) => new Set(s).size === s.length, 'a seed appears twice'),
  ],
  { error: 'expected a count of seeds or a list of distinct non-negative integers' },
);
const scenarios = z.array(z.object({ sim: z.string().min(1), options }).strict()).min(1);
const planners = z
  .array(
    z
      .object({
        name: z.string().min(1),
        options,
        model: z.object({ physicsDt: z.number().positive().max(0.02).optional(), solverIterations: z.number().int().min(1).max(16).optional() }).strict().optional(),
        replanEvery: z.number().int().positive().optional(),
        /** Online adaptation of the learned model (--adapt-opt keys); the cell's seeds then run in order, one model learning across them. */
        adapt: z.record(z.string(), z.unknown()).optional(),
        /** What a learned model's rollouts run on, as `itinera run --rollouts`: tfjs (default) or onnx. */
        rollouts: z.enum(['tfjs', 'onnx']).optional(),
      })
      .strict(),
  )
  .min(1);

const ROBOT_KEYS = ['robot', 'fixedBase', 'endEffector', 'packagePath'];
const ROBOT_NAME = "'default', a built-in name or a description file";

/**
 * A robot entry: a name or file as `--robot` takes it, or an object with the load options `itinera run` takes
 * (`fixedBase` true/false for --fixed-base/--floating-base, --end-effector, --package-path); a string reads as `{ robot }`.
 */
const robotEntry = z.preprocess(
  (entry) => (typeof entry === 'string' ? { robot: entry } : entry),
  z
    .object(
      {
        robot: z.string({ error: (issue) => (issue.input === undefined ? `missing: ${ROBOT_NAME}` : undefined) }).min(1, `expected ${ROBOT_NAME}`),
        fixedBase: z.boolean({ error: 'expected true (a welded base, as --fixed-base) or false (a floating one, as --floating-base)' }).optional(),
        endEffector: z.string().min(1).optional(),
        packagePath: z.array(z.string().min(1), { error: 'expected a list of folders, as --package-path takes them (packagePath: [DIR, …])' }).min(1).optional(),
      },
      { error: robotEntryIssue },
    )
    .strict(),
);

/** What a robot entry that is neither a string nor an entry object, or has keys it does not know, is told. */
function robotEntryIssue(issue: { code?: string; input?: unknown; keys?: string[] }): string | undefined {
  if (issue.code === 'unrecognized_keys') return `unknown key${issue.keys!.length > 1 ? 's' : ''} ${issue.keys!.map((k) => `'${k}'`).join(', ')} (valid keys: ${ROBOT_KEYS.join(', ')})`;
  if (issue.code !== 'invalid_type') return undefined;
  const got = issue.input === null ? 'null' : Array.isArray(issue.input) ? 'a list' : typeof issue.input;
  return `expected a robot name or file, or { ${ROBOT_KEYS.join(', ')} } (got ${got})`;
}

export type RobotEntry = z.infer<typeof robotEntry>;

/** Each scenario's own robot, as loaded by default. */
const defaultRobots = (): RobotEntry[] => [{ robot: 'default' }];

/**
 * How episodes, results keys and reports name a robot entry: `name` (the entry's robot, or the scenario's own for
 * 'default') followed by its load options, `ur5.urdf (fixedBase)`; without options just the name, as string entries always were.
 */
export function robotLabel(entry: RobotEntry, name = entry.robot): string {
  const options = [
    entry.fixedBase === true && 'fixedBase',
    entry.fixedBase === false && 'floatingBase',
    entry.endEffector !== undefined && `endEffector=${entry.endEffector}`,
    entry.packagePath !== undefined && `packagePath=${entry.packagePath.join(':')}`,
  ].filter(Boolean);
  return options.length > 0 ? `${name} (${options.join(', ')})` : name;
}

const suiteFields = {
  name: suiteName,
  description: z.string().optional(),
  /** A count n means seeds 0…n-1; a list gives them explicitly. Seed i of every combination is the i-th seed. */
  seeds,
  scenarios,
  /** 'default' stands for each scenario's own robot; anything else is a built-in name or a description file, each maybe with load options. */
  robots: z.array(robotEntry).min(1).default(defaultRobots),
  /** A registered planner or a preset (configs/planners/NAME.yaml or a file); `model` and `replanEvery` override the preset's. */
  planners,
  /** Claims the report judges on the merged results; they do not change which episodes run. */
  claims: z.array(claim).default([]),
};

type SuiteData = z.infer<z.ZodObject<typeof suiteFields>>;

/** Claim names unique, and the matrix within MAX_SUITE_EPISODES. */
function checkSuite(suite: SuiteData, ctx: z.RefinementCtx): void {
  const names = suite.claims.map((c) => c.name);
  names.forEach((name, i) => names.indexOf(name) < i && ctx.addIssue({ code: 'custom', path: ['claims', i, 'name'], message: `claim '${name}' appears twice` }));
  const seeds = typeof suite.seeds === 'number' ? suite.seeds : suite.seeds.length;
  const axes = [suite.scenarios.length, suite.robots.length, suite.planners.length];
  const episodes = seeds * axes[0] * axes[1] * axes[2];
  if (episodes <= MAX_SUITE_EPISODES) return;
  const n = (x: number) => x.toLocaleString('en-US');
  ctx.addIssue({
    code: 'custom',
    path: ['seeds'],
    message: `${n(seeds)} seeds × ${axes[0]} scenarios × ${axes[1]} robots × ${axes[2]} planners make ${n(episodes)} episodes, at least ${n(Math.round(episodes / 3600))} CPU-hours at a second each; the limit is ${n(MAX_SUITE_EPISODES)}: split the study into several suites`,
  });
}

export const suiteSchema = z.object(suiteFields).strict().superRefine(checkSuite);

/** The axes a suite with `include` may have of its own: all of seeds, scenarios and planners, or none. */
const OWN_AXES = ['seeds', 'scenarios', 'planners'] as const;

/** A suite that composes other suite files (paths relative to it); with seeds, scenarios and planners it is a part too. */
export const compositeSchema = z
  .object({
    ...suiteFields,
    include: z.array(z.string().min(1)).min(1),
    seeds: seeds.optional(),
    scenarios: scenarios.optional(),
    robots: z.array(robotEntry).min(1).optional(),
    planners: planners.optional(),
    claims: z.array(claim).optional(),
  })
  .strict()
  .superRefine((suite, ctx) => {
    const given = OWN_AXES.filter((key) => suite[key] !== undefined);
    if (given.length === 0) {
      if (suite.robots !== undefined) ctx.addIssue({ code: 'custom', path: ['robots'], message: 'a suite with include has robots only with seeds, scenarios and planners of its own; each included suite names its robots' });
      if (suite.claims !== undefined) ctx.addIssue({ code: 'custom', path: ['claims'], message: 'a suite with include makes claims about its own scenarios and planners: give it seeds, scenarios and planners, or put the claims in an included suite' });
      return;
    }
    const missing = OWN_AXES.filter((key) => suite[key] === undefined);
    for (const key of missing) ctx.addIssue({ code: 'custom', path: [key], message: `a suite with include and its own ${given.join(', ')} needs ${key} too (or none of ${OWN_AXES.join(', ')})` });
    if (missing.length === 0) checkSuite({ ...suite, robots: suite.robots ?? defaultRobots(), claims: suite.claims ?? [] } as SuiteData, ctx);
  });

export type Suite = z.infer<typeof suiteSchema>;

/** Reads and validates a suite file; every problem becomes one line naming the file, the key and what is wrong. */
export function loadSuite(path: string): Suite {
  if (!existsSync(path)) throw new ItineraError(`suite file '${path}' does not exist`);
  return parseSuite(readTextFile(path, 'suite file', MAX_SUITE_BYTES), path);
}

/** A suite from its text (a queue job carries it); `path` names it in errors. */
export function parseSuite(text: string, path: string): Suite {
  return parseWithSchema(suiteSchema, suiteYaml(text, path), path);
}

/** One suite file as written: its name, the files it includes, and its own episodes (absent for a bare composite). */
export interface SuiteFile {
  name: string;
  include: string[];
  own?: Suite;
}

/** A suite file's text, with or without `include`; a file without it reads exactly as parseSuite reads it. */
export function parseSuiteFile(text: string, path: string): SuiteFile {
  const data = suiteYaml(text, path);
  if (!(data && typeof data === 'object' && 'include' in data)) {
    const suite = parseWithSchema(suiteSchema, data, path);
    return { name: suite.name, include: [], own: suite };
  }
  const { include, ...rest } = parseWithSchema(compositeSchema, data, path);
  const own = rest.seeds && rest.scenarios && rest.planners ? { ...rest, seeds: rest.seeds, scenarios: rest.scenarios, robots: rest.robots ?? defaultRobots(), planners: rest.planners, claims: rest.claims ?? [] } : undefined;
  return { name: rest.name, include, ...(own && { own }) };
}

function suiteYaml(text: string, path: string): unknown {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    // file:line:col: message, without the context lines yaml appends.
    throw new ItineraError(doc.errors.map((e) => `${path}:${e.linePos?.[0].line}:${e.linePos?.[0].col}: ${e.message.split(' at line ')[0]}`));
  }
  return yamlData(doc, path) ?? {};
}

export function suiteSeeds(suite: Suite): number[] {
  return typeof suite.seeds === 'number' ? Array.from({ length: suite.seeds }, (_, i) => i) : suite.seeds;
}
