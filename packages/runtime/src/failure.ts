// A done event carries a failure code ('timeout', 'planner-error'…) and, where known, a detail message.

export function failureFields(code: string | undefined, detail?: string): { failure?: string; detail?: string } {
  return { ...(code !== undefined ? { failure: code } : {}), ...(detail ? { detail } : {}) };
}
