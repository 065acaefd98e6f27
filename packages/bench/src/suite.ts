// A benchmark suite: a YAML file naming scenarios × robots × planners × seeds, validated before anything runs.
import { existsSync, readFileSync } from 'node:fs';
import { ItineraError, parseWithSchema } from '@itinera/core';
import { parseDocument } from 'yaml';
import { z } from 'zod';

const options = z.record(z.string(), z.unknown()).default({});

export const suiteSchema = z
  .object({
    name: z.string().regex(/^[\w.-]+$/, 'use letters, digits, dot, dash or underscore'),
    description: z.string().optional(),
    /** A count n means seeds 0…n-1; a list gives them explicitly. Seed i of every combination is the i-th seed. */
    seeds: z.union(
      [
        z.number().int().positive(),
        z
          .array(z.number().int().nonnegative())
          .min(1)
          .refine((s) => new Set(s).size === s.length, 'a seed appears twice'),
      ],
      { error: 'expected a count of seeds or a list of distinct non-negative integers' },
    ),
    scenarios: z.array(z.object({ sim: z.string().min(1), options }).strict()).min(1),
    /** 'default' stands for each scenario's own robot; anything else is a built-in name or a description file. */
    robots: z.array(z.string().min(1)).min(1).default(['default']),
    /** A registered planner or a preset (configs/planners/NAME.yaml or a file); `model` and `replanEvery` override the preset's. */
    planners: z
      .array(
        z
          .object({
            name: z.string().min(1),
            options,
            model: z.object({ physicsDt: z.number().positive().max(0.02).optional(), solverIterations: z.number().int().min(1).max(16).optional() }).strict().optional(),
            replanEvery: z.number().int().positive().optional(),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

export type Suite = z.infer<typeof suiteSchema>;

/** Reads and validates a suite file; every problem becomes one line naming the file, the key and what is wrong. */
export function loadSuite(path: string): Suite {
  if (!existsSync(path)) throw new ItineraError(`suite file '${path}' does not exist`);
  return parseSuite(readFileSync(path, 'utf8'), path);
}

/** A suite from its text (a queue job carries it); `path` names it in errors. */
export function parseSuite(text: string, path: string): Suite {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    // file:line:col: message, without the context lines yaml appends.
    throw new ItineraError(doc.errors.map((e) => `${path}:${e.linePos?.[0].line}:${e.linePos?.[0].col}: ${e.message.split(' at line ')[0]}`));
  }
  return parseWithSchema(suiteSchema, doc.toJS() ?? {}, path);
}

export function suiteSeeds(suite: Suite): number[] {
  return typeof suite.seeds === 'number' ? Array.from({ length: suite.seeds }, (_, i) => i) : suite.seeds;
}
