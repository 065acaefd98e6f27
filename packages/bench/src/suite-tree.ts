// A suite file with `include:` composes other suite files: read the whole tree into its parts, each a plain suite
// judged against its own file, in include order (a file's own episodes after those of the files it includes).
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { isItineraError, ItineraError, readTextFile } from '@itinera/core';
import { MAX_SUITE_BYTES, MAX_SUITE_EPISODES, parseSuiteFile, type Suite, type SuiteFile } from './suite.js';

/** A suite with episodes of its own, and the file it was written in (its errors and relative paths name it). */
export interface SuitePart {
  file: string;
  suite: Suite;
}

export interface SuiteTree {
  /** The top file's name: the whole run's name in suite.json and the report. */
  name: string;
  parts: SuitePart[];
  /** Whether the top file has `include` (a plain suite resolves exactly as it did before includes existed). */
  composite: boolean;
  /** Every file read, by the path it was read as (the top file as given, includes joined to their includer's folder). */
  texts: Record<string, string>;
}

/**
 * Reads `file` and every file it includes, depth first; a file reached twice (two parts sharing one) is read once.
 * `carried`: the texts a queue job carries, read instead of the disk (a worker needs no copy of the files).
 */
export function readSuiteTree(file: string, carried?: Record<string, string>): SuiteTree {
  const texts: Record<string, string> = {};
  const parts: SuitePart[] = [];
  const seen = new Set<string>([resolve(file)]);
  const problems: string[] = [];

  // `where` names the include entry that asked for `path`; absent for the top file.
  const read = (path: string, where?: { key: string; entry: string }): string => {
    if (carried) {
      const text = carried[path];
      if (text === undefined) throw new ItineraError(`${where?.key ?? path}: '${path}' is not among the suite files the queue job carries`);
      return text;
    }
    if (!existsSync(path)) throw new ItineraError(where ? `${where.key}: '${where.entry}' does not exist (${path})` : `suite file '${path}' does not exist`);
    return readTextFile(path, 'suite file', MAX_SUITE_BYTES);
  };

  // `chain`: the files from the top down to `path`, to name a cycle.
  const visit = (path: string, text: string, chain: string[]): SuiteFile => {
    texts[path] = text;
    const suite = parseSuiteFile(text, path);
    suite.include.forEach((entry, i) => {
      const child = isAbsolute(entry) ? entry : join(dirname(path), entry);
      const key = `${path}: include.${i}`;
      const loop = chain.findIndex((p) => resolve(p) === resolve(child));
      if (loop >= 0) return problems.push(`${key}: '${entry}' makes a cycle: ${[...chain.slice(loop), child].join(' → ')}`);
      // Two parts that share a file: it is read, and its episodes asked for, once.
      if (seen.has(resolve(child))) return;
      seen.add(resolve(child));
      try {
        visit(child, read(child, { key, entry }), [...chain, child]);
      } catch (error) {
        if (!isItineraError(error)) throw error;
        problems.push(...error.problems);
      }
    });
    if (suite.own) parts.push({ file: path, suite: suite.own });
    return suite;
  };

  const top = visit(file, read(file), [file]);
  if (problems.length > 0) throw new ItineraError(problems);
  const composite = top.include.length > 0;
  if (composite) checkEpisodeCount(file, parts);
  return { name: top.name, parts, composite, texts };
}

/** The parts together stay within what one suite may ask for (before episodes they share are counted once). */
function checkEpisodeCount(file: string, parts: SuitePart[]): void {
  const count = (s: Suite) => (typeof s.seeds === 'number' ? s.seeds : s.seeds.length) * s.scenarios.length * s.robots.length * s.planners.length;
  const episodes = parts.reduce((n, p) => n + count(p.suite), 0);
  if (episodes > MAX_SUITE_EPISODES) {
    throw new ItineraError(`${file}: its parts make ${episodes.toLocaleString('en-US')} episodes; the limit is ${MAX_SUITE_EPISODES.toLocaleString('en-US')}: split the study into several suites`);
  }
}
