// What each planning level planned on, from what the plug-ins declare (planner levels, model kinds), for run reports.
import { CONTROL_LEVEL, TASK_LEVEL, type DynamicsModel, type LevelSummary, type Planner } from '@itinera/core';

/**
 * The planner's levels above control as it declares them, then level 0: its planner on `model` (named `modelName`:
 * 'sim' or a --model directory), whose learned backend is `learnedBackend`. A planner without a model plans on none.
 */
export function planningLevels(planner: Planner, model: DynamicsModel | undefined, modelName: string, learnedBackend: string): LevelSummary[] {
  const controlPlanner = planner.levels?.controlPlanner ?? planner.name;
  const control: LevelSummary = model
    ? { level: CONTROL_LEVEL, planner: controlPlanner, model: modelName, kind: model.kind, backend: model.kind === 'learned' ? learnedBackend : (model.backend ?? 'unknown') }
    : { level: CONTROL_LEVEL, planner: controlPlanner, model: 'none', kind: 'analytic', backend: 'none' };
  return [...(planner.levels?.above ?? []), control];
}

/** The run's summarising `backend`: the --model's, else the first learned level's, else 'none'. */
export function learnedBackend(levels: readonly LevelSummary[], modelBackend: string): string {
  return modelBackend !== 'none' ? modelBackend : (levels.find((l) => l.kind === 'learned')?.backend ?? 'none');
}

/** The run's summarising `model`: level 0's, plus the models of the levels between it and the task tree ('sim + level 1: kinematic'). */
export function summaryModel(levels: readonly LevelSummary[], controlModel: string): string {
  const between = levels.filter((l) => l.level > CONTROL_LEVEL && l.level < TASK_LEVEL).sort((a, b) => a.level - b.level);
  return [controlModel, ...between.map((l) => `level ${l.level}: ${l.model}`)].join(' + ');
}

/** One short line per level, top first: 'level 1: waypoints (cem) on kinematic (analytic, typescript)'. */
export function formatLevels(levels: readonly LevelSummary[]): string[] {
  return levels.map((l) => `level ${l.level}: ${l.planner} on ${l.model} (${l.kind}, ${l.backend})`);
}
