// Task states are plain data (scenario.ts); env snapshots copy them once per planner sample.

/** Deeper than any task state: past it (a cycle, say) the copy falls back to structuredClone. */
const MAX_DEPTH = 64;

/**
 * A deep copy of plain data: primitives, arrays, plain objects and typed arrays are copied here, anything else
 * (a Map, a Date) by structuredClone. A planner copies the task state per sample; structuredClone's serialise and
 * parse cost more than the small states themselves.
 */
export function copyPlainData<T>(value: T): T {
  return copy(value, 0) as T;
}

function copy(value: unknown, depth: number): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (depth > MAX_DEPTH) return structuredClone(value);
  if (Array.isArray(value)) return value.map((item) => copy(item, depth + 1));
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return (value as Float64Array).slice();
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return structuredClone(value);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = copy((value as Record<string, unknown>)[key], depth + 1);
  return out;
}
