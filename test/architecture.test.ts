import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { cycles, DOC, readPackages, render, ROOT, RULES, ruleViolations, withGenerated } from '../scripts/architecture.ts';

const packages = readPackages();

/** Import specifiers (`from 'x'`, `import('x')`) of every .ts file under `dir`, with the file they are in. */
function importsIn(dir: string): Array<{ file: string; specifier: string }> {
  const found: Array<{ file: string; specifier: string }> = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.d.ts')) continue;
    const file = join(entry.parentPath, entry.name);
    for (const m of readFileSync(file, 'utf8').matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|^import\s+)['"]([^'"]+)['"]/gm)) found.push({ file, specifier: m[1] });
  }
  return found;
}

/** The npm package a bare specifier names ('@scope/name/sub' → '@scope/name'). */
const packageOf = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
const isBuiltin = (specifier: string) => specifier.startsWith('node:') || builtinModules.includes(packageOf(specifier));

test('docs/architecture.md holds the graph and rules the package.json files give (run scripts/architecture.ts)', () => {
  const doc = readFileSync(DOC, 'utf8');
  assert.equal(withGenerated(doc, render(packages)), doc, 'docs/architecture.md is stale: run node --import tsx scripts/architecture.ts');
});

test('every package folder is a workspace, so the graph misses none', () => {
  const folders = ['packages', 'sims'].flatMap((top) => readdirSync(join(ROOT, top)).map((name) => `${top}/${name}`)).filter((path) => existsSync(join(ROOT, path, 'package.json')));
  assert.deepEqual(folders.filter((path) => !packages.some((p) => p.path === path)), []);
});

test('dependencies point toward core: no cycles, and every package reaches core', () => {
  assert.deepEqual(cycles(packages), []);
  const byName = new Map(packages.map((p) => [p.name, p]));
  const reachesCore = (name: string): boolean => name === '@itinera/core' || (byName.get(name)?.project ?? []).some(reachesCore);
  assert.deepEqual(packages.filter((p) => p.name !== '@itinera/core' && !reachesCore(p.name)).map((p) => p.path), []);
});

for (const rule of RULES) {
  const violations = ruleViolations(rule, packages);
  const skip = rule.enforced ? false : `not enforced yet (RULES in scripts/architecture.ts)${violations.length > 0 ? `: ${violations.join('; ')}` : ': it holds now, set enforced: true'}`;
  test(`rule: ${rule.says}`, { skip }, () => assert.deepEqual(violations, []));
}

test('each package imports only what its package.json declares, so the graph is the real one', () => {
  const undeclared: string[] = [];
  for (const p of packages) {
    const json = JSON.parse(readFileSync(join(ROOT, p.path, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    const declared = new Set([p.name, ...['dependencies', 'optionalDependencies', 'devDependencies', 'peerDependencies'].flatMap((k) => Object.keys(json[k] ?? {}))]);
    for (const { file, specifier } of importsIn(join(ROOT, p.path, 'src'))) {
      if (specifier.startsWith('.') || isBuiltin(specifier) || declared.has(packageOf(specifier))) continue;
      undeclared.push(`${file.slice(ROOT.length + 1)} imports ${specifier}`);
    }
  }
  assert.deepEqual(undeclared, []);
});

test("tests and benchmarks reach packages through their names, never another package's files; bench/ imports no tfjs", () => {
  const offending = ['test', 'bench']
    .flatMap((dir) => importsIn(join(ROOT, dir)).map((i) => ({ ...i, dir })))
    .filter(({ dir, specifier }) => /^\.\.\/(packages|sims)\//.test(specifier) || (dir === 'bench' && specifier.startsWith('@tensorflow/')))
    .map(({ file, specifier }) => `${file.slice(ROOT.length + 1)} imports ${specifier}`);
  assert.deepEqual(offending, []);
});

