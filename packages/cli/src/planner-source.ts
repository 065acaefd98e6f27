// `--planner` takes a registered planner, a preset in configs/planners/, or a preset file.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ItineraError, MAX_PLANNING_PHYSICS_DT, parseWithSchema, type PlannerDefinition } from '@itinera/core';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import type { PlanningPhysics } from '@itinera/physics';
import { resolveOptions } from './episode-setup.js';
import { builtinPlanners } from './registries.js';
import { didYouMean } from './suggest.js';

export const PLANNER_PRESETS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'configs', 'planners');

/** The planner's simulator copy: a coarser physics step, fewer solver iterations (faster, less exact). */
export const planningPhysicsSchema = z
  .object({
    physicsDt: z.number().positive().max(MAX_PLANNING_PHYSICS_DT).optional(),
    /** Rapier solver iterations per physics step (its default is 4). */
    solverIterations: z.number().int().min(1).max(16).optional(),
  })
  .strict();

/** How a planner runs beside its own options: the planning model's physics and the replanning period. */
export const runSettingsSchema = {
  model: planningPhysicsSchema.optional(),
  /** Plan every this many control steps. */
  replanEvery: z.number().int().positive().optional(),
};

const presetSchema = z
  .object({
    planner: z.string().min(1),
    description: z.string().optional(),
    options: z.record(z.string(), z.unknown()).default({}),
    ...runSettingsSchema,
    /** A trained level-0 world model per scenario id (a directory, relative to the preset file) that `--model` replaces. */
    worldModels: z.record(z.string(), z.string().min(1)).default({}),
  })
  .strict();

export interface PlannerChoice {
  definition: PlannerDefinition<any>;
  /** Options with defaults applied, validated by the planner's schema. */
  config: Record<string, unknown>;
  /** The name a user typed (a preset's name, or the planner's). */
  label: string;
  modelPhysics: PlanningPhysics;
  replanEvery: number;
  /** The preset's trained level-0 model per scenario id (absolute directories). */
  worldModels: Record<string, string>;
}

export interface RunOverrides {
  options?: Record<string, unknown>;
  /** Overrides the preset's, key by key. */
  modelPhysics?: PlanningPhysics;
  replanEvery?: number;
}

/** `where` prefixes option errors; `nameWhere` prefixes an unknown name or preset. */
export function resolvePlanner(nameOrFile: string, overrides: RunOverrides, where: string, nameWhere = ''): PlannerChoice {
  const registry = builtinPlanners();
  const isFile = /[\\/]/.test(nameOrFile) || ['.yaml', '.yml'].includes(extname(nameOrFile));
  const presetPath = isFile ? resolve(nameOrFile) : join(PLANNER_PRESETS_DIR, `${nameOrFile}.yaml`);
  if (!existsSync(presetPath)) {
    if (isFile) throw new ItineraError(`${nameWhere}planner preset '${nameOrFile}' does not exist`);
    if (!registry.has(nameOrFile)) throw new ItineraError(nameWhere + unknownPlanner(nameOrFile, registry.names()));
    const definition = registry.get(nameOrFile);
    return {
      definition,
      config: resolveOptions(definition, overrides.options ?? {}, `${where} (${definition.name})`),
      label: definition.name,
      modelPhysics: definedOnly(overrides.modelPhysics),
      replanEvery: overrides.replanEvery ?? 1,
      worldModels: {},
    };
  }
  const preset = loadPreset(presetPath);
  const definition = named(() => registry.get(preset.planner), `${presetPath}: planner: `);
  return {
    definition,
    config: resolveOptions(definition, { ...preset.options, ...overrides.options }, `${where} (${presetPath})`),
    label: isFile ? definition.name : nameOrFile,
    modelPhysics: definedOnly({ ...preset.model, ...definedOnly(overrides.modelPhysics) }),
    replanEvery: overrides.replanEvery ?? preset.replanEvery ?? 1,
    worldModels: Object.fromEntries(Object.entries(preset.worldModels).map(([id, dir]) => [id, resolve(dirname(presetPath), dir)])),
  };
}

/** Names planners and presets, the closest first when one is near. */
function unknownPlanner(name: string, planners: string[]): string {
  const presets = presetNames();
  return `unknown planner '${name}'${didYouMean(name, [...planners, ...presets])} (planners: ${planners.join(', ')}; presets: ${presets.join(', ') || 'none'})`;
}

/** Drops keys left undefined, so an absent override keeps the preset's value. */
function definedOnly<T extends object>(o: T | undefined): T {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as T;
}

function named<T>(get: () => T, prefix: string): T {
  try {
    return get();
  } catch (error) {
    if (error instanceof ItineraError) throw new ItineraError(error.problems.map((p) => prefix + p));
    throw error;
  }
}

export function loadPreset(path: string): z.infer<typeof presetSchema> {
  const doc = parseDocument(readFileSync(path, 'utf8'));
  if (doc.errors.length > 0) throw new ItineraError(doc.errors.map((e) => `${path}:${e.linePos?.[0].line}: ${e.message.split(' at line ')[0]}`));
  return parseWithSchema(presetSchema, doc.toJS(), path);
}

/** The presets shipped in configs/planners (data, not plug-ins: every planner is still registered by hand). */
export function presetNames(): string[] {
  if (!existsSync(PLANNER_PRESETS_DIR)) return [];
  return readdirSync(PLANNER_PRESETS_DIR).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5)).sort();
}
