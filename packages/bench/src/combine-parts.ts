// A composite suite's episodes and claims from its parts': episodes in part order, each key once (equal keys measure
// the same thing), positions renumbered so one list of scenario and planner entries serves every part.
import { ItineraError } from '@itinera/core';
import type { ResolvedClaim } from './claims.js';
import type { EpisodeSpec } from './matrix.js';
import type { Suite } from './suite.js';

export interface ResolvedPart {
  file: string;
  suite: Suite;
  specs: EpisodeSpec[];
  claims: ResolvedClaim[];
}

export interface CombinedParts {
  specs: EpisodeSpec[];
  claims: ResolvedClaim[];
  /** The part a combined episode came from, and the episode as that part numbers its entries. */
  partOf(spec: EpisodeSpec): { part: number; spec: EpisodeSpec };
}

export function combineParts(parts: ResolvedPart[]): CombinedParts {
  const offsets: Array<{ scenario: number; planner: number }> = [];
  const specs = new Map<string, EpisodeSpec>();
  let scenario = 0;
  let planner = 0;
  for (const part of parts) {
    offsets.push({ scenario, planner });
    for (const spec of part.specs) {
      if (specs.has(spec.key)) continue;
      // Unshifted episodes stay the same objects: a single part's manifest is what it was before includes.
      specs.set(spec.key, scenario === 0 && planner === 0 ? spec : { ...spec, scenarioIndex: spec.scenarioIndex + scenario, plannerIndex: spec.plannerIndex + planner });
    }
    scenario += part.suite.scenarios.length;
    planner += part.suite.planners.length;
  }
  return {
    specs: [...specs.values()],
    claims: unionOfClaims(parts),
    partOf(spec) {
      // Each part has at least one scenario and one planner, so its offsets are the last ones at or below the episode's.
      let part = offsets.length - 1;
      while (part > 0 && offsets[part].scenario > spec.scenarioIndex) part--;
      const { scenario: s, planner: p } = offsets[part];
      return { part, spec: s === 0 && p === 0 ? spec : { ...spec, scenarioIndex: spec.scenarioIndex - s, plannerIndex: spec.plannerIndex - p } };
    },
  };
}

/** Every part's claims; two files claiming under one name would be told apart by nothing in the report. */
function unionOfClaims(parts: ResolvedPart[]): ResolvedClaim[] {
  const owner = new Map<string, string>();
  const problems: string[] = [];
  for (const part of parts) {
    part.claims.forEach((claim, i) => {
      const earlier = owner.get(claim.name);
      if (earlier !== undefined) problems.push(`${part.file}: claims.${i}.name: claim '${claim.name}' is also made by ${earlier}: rename one`);
      else owner.set(claim.name, part.file);
    });
  }
  if (problems.length > 0) throw new ItineraError(problems);
  return parts.flatMap((p) => p.claims);
}
