// The seams between packages (issue 14): contracts in core, a robot-agnostic hierarchy, physics that names no other
// package's format, capabilities declared on plug-in definitions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasCapability } from '@itinera/core';
import { builtinPlanners } from '@itinera/cli';

const ROOT = join(import.meta.dirname, '..');
const sources = (dir: string) => readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => ({ file: join(dir, f), text: readFileSync(join(ROOT, dir, f), 'utf8') }));
const imports = (text: string) => [...text.matchAll(/from '([^'.][^']*)'/g)].map((m) => m[1]);

test("physics imports nothing but core, Rapier and Node's own modules, and names no other package snapshot or subgoal format", () => {
  for (const { file, text } of sources('packages/physics/src')) {
    assert.deepEqual(imports(text).filter((i) => i !== '@itinera/core' && i !== '@dimforge/rapier3d-compat' && !i.startsWith('node:')), [], file);
    assert.doesNotMatch(text, /'observed'|(?<!this)\.inner\b|'subgoal'/, file);
  }
});

test('no file of the hierarchy names a robot or one of its channels', () => {
  for (const { file, text } of sources('packages/hierarchy/src')) assert.doesNotMatch(text, /\bbase\.[a-z]|\bray\.\d|rover|wheel/i, file);
});

test('scenarios depend on core and their own helpers, not on the planner package', () => {
  for (const sim of readdirSync(join(ROOT, 'sims'))) {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'sims', sim, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    assert.ok(!('@itinera/hierarchy' in (pkg.dependencies ?? {})), sim);
    for (const { file, text } of sources(join('sims', sim, 'src'))) assert.ok(!imports(text).includes('@itinera/hierarchy'), file);
  }
});

test('capabilities are declared on planner definitions and read one way', () => {
  const planners = builtinPlanners();
  const hierarchical = planners.get('hierarchical');
  assert.ok(hasCapability(hierarchical, 'multi-level') && hasCapability(hierarchical, 'task-tree'));
  assert.ok(hasCapability(planners.get('gradient'), 'differentiable-model'));
  assert.ok(!hasCapability(planners.get('mppi'), 'multi-level') && !hasCapability(planners.get('mppi'), 'differentiable-model'));
  // Planning on the simulator alone (--model sim): the learned level-1 model gives way to its stand-in.
  assert.equal(hierarchical.withoutLearnedModels!({ ...hierarchical.defaults, middle: 'learned' }).middle, 'kinematic');
  assert.equal(hierarchical.withoutLearnedModels!({ ...hierarchical.defaults, middle: 'none' }).middle, 'none');
});
