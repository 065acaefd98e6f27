// The episodes a suite asks for, each with a key that names what it measures, never when it ran.
import { createHash } from 'node:crypto';
import { ItineraError } from '@itinera/core';

type Options = Record<string, unknown>;

/** A scenario as resolved by the caller: versioned id, full options, the robots it runs with. */
export interface ScenarioAxis {
  name: string;
  options: Options;
  robots: string[];
}

/** A planner as resolved by the caller: registered name and full config (defaults applied). */
export interface PlannerAxis {
  name: string;
  config: Options;
  /** How it runs beside its options (planning model step, replanning period); part of the key when set. */
  run?: Options;
}

export interface EpisodeSpec {
  key: string;
  scenario: string;
  scenarioOptions: Options;
  robot: string;
  planner: string;
  plannerConfig: Options;
  plannerRun?: Options;
  seed: number;
  /** Positions in the suite, so the caller can find the plug-ins it resolved. */
  scenarioIndex: number;
  plannerIndex: number;
}

/** Every scenario × robot × planner × seed, in suite order; `where` prefixes errors (the suite file). */
export function episodeMatrix(scenarios: ScenarioAxis[], planners: PlannerAxis[], seeds: number[], where: string): EpisodeSpec[] {
  const specs: EpisodeSpec[] = [];
  const seen = new Map<string, string>();
  scenarios.forEach((s, scenarioIndex) => {
    for (const robot of s.robots) {
      planners.forEach((p, plannerIndex) => {
        const combination = `scenarios.${scenarioIndex} × robot ${robot} × planners.${plannerIndex}`;
        for (const seed of seeds) {
          const key = episodeKey(s.name, s.options, robot, p.name, p.run ? { ...p.config, '@run': p.run } : p.config, seed);
          const earlier = seen.get(key);
          if (earlier !== undefined) {
            throw new ItineraError(`${where}: ${combination} repeats ${earlier} (same names and options): drop one or change its options`);
          }
          seen.set(key, combination);
          specs.push({ key, scenario: s.name, scenarioOptions: s.options, robot, planner: p.name, plannerConfig: p.config, ...(p.run && { plannerRun: p.run }), seed, scenarioIndex, plannerIndex });
        }
      });
    }
  });
  return specs;
}

/** Readable names and seed, plus a short hash of both configs so entries differing only in options stay apart. */
export function episodeKey(scenario: string, scenarioOptions: Options, robot: string, planner: string, plannerConfig: Options, seed: number): string {
  const hash = createHash('sha256').update(canonicalJson([scenarioOptions, plannerConfig])).digest('hex').slice(0, 10);
  return `${scenario}/${robot}/${planner}/${hash}/seed-${seed}`;
}

/** JSON with object keys sorted, so equal configs hash equally whatever order they were written in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}
