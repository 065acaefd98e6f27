/**
 * An error a user caused and can fix (bad file, unknown name, bad option). The CLI prints
 * its message alone, without a stack trace; anything else is a bug and keeps its stack.
 */
export class ItineraError extends Error {
  /** Each problem on its own line, already prefixed with file and element where known. */
  readonly problems: string[];
  constructor(problems: string | string[]) {
    const list = Array.isArray(problems) ? problems : [problems];
    super(list.join('\n'));
    this.name = 'ItineraError';
    this.problems = list;
  }
}

export function isItineraError(e: unknown): e is ItineraError {
  return e instanceof Error && e.name === 'ItineraError' && Array.isArray((e as ItineraError).problems);
}
