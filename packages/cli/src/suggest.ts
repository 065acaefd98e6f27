// "did you mean …?" for mistyped names: the closest known name by edit distance, when it is close enough.
import { distance } from 'fastest-levenshtein';

/** The known name nearest to `typed` (at most a third of its letters off, and at least 1 allowed), or undefined. */
export function closest(typed: string, known: readonly string[]): string | undefined {
  const budget = Math.max(2, Math.floor(typed.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of known) {
    const d = distance(typed.toLowerCase(), name.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [name, d];
  }
  return bestDistance <= budget ? best : undefined;
}

/** ` (did you mean 'x'?)`, or nothing when no known name is near. */
export function didYouMean(typed: string, known: readonly string[]): string {
  const near = closest(typed, known);
  return near === undefined ? '' : `; did you mean '${near}'?`;
}
