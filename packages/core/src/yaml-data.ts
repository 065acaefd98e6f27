// YAML's aliases let a few lines stand for gigabytes ("billion laughs"): expansion is capped, and hitting the
// cap is the user's file to fix, not a crash. Typed structurally so core needs no yaml dependency.
import { ItineraError } from './errors.js';

/** Aliased nodes one document may expand to (yaml's own default), far beyond what a config reuses. */
export const MAX_YAML_ALIAS_COUNT = 100;

/** A parsed yaml Document's data, as `doc.toJS()`, with alias abuse and unresolved aliases as one line. */
export function yamlData(doc: { toJS(options?: { maxAliasCount?: number }): unknown }, source: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_YAML_ALIAS_COUNT });
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    if (/excessive alias/i.test(error.message))
      throw new ItineraError(`${source}: YAML anchors and aliases expand to more than ${MAX_YAML_ALIAS_COUNT} aliased nodes; write the repeated values out`);
    throw new ItineraError(`${source}: ${error.message}`);
  }
}
