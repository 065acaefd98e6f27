/**
 * An error a user caused and can fix (bad file, unknown name, bad option). The CLI prints
 * its message alone, without a stack trace; anything else is a bug and keeps its stack.
 */
export class ItineraError extends Error {
  /** Each problem on its own line, already prefixed with file and element where known; at most MAX_PROBLEM_LINES. */
  readonly problems: string[];
  constructor(problems: string | string[]) {
    const list = capProblems(Array.isArray(problems) ? problems : [problems]);
    super(list.join('\n'));
    this.name = 'ItineraError';
    this.problems = list;
  }
}

export function isItineraError(e: unknown): e is ItineraError {
  return e instanceof Error && e.name === 'ItineraError' && Array.isArray((e as ItineraError).problems);
}

/** A file with thousands of mistakes is fixed from its first few: more lines only scroll them away. */
export const MAX_PROBLEM_LINES = 30;

/** The first MAX_PROBLEM_LINES - 1 problems and one line counting the rest. */
export function capProblems(problems: string[]): string[] {
  if (problems.length <= MAX_PROBLEM_LINES) return problems;
  const shown = problems.slice(0, MAX_PROBLEM_LINES - 1);
  const more = problems.length - shown.length;
  return [...shown, `… and ${more.toLocaleString('en-US')} more problems (${problems.length.toLocaleString('en-US')} in all; fix these first)`];
}
