// A done event's failure is 'code' or 'code: detail'; summaries keep only the code (EpisodeSummary.failure).

export function failureText(code: string, detail?: string): string {
  return detail ? `${code}: ${detail}` : code;
}

export function failureCode(failure: string): string {
  return failure.split(': ', 1)[0];
}
