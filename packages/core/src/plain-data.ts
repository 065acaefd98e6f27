// Task states are plain data (scenario.ts); env snapshots copy them once per planner sample.

/**
 * A deep copy of plain data, as structuredClone makes it (an object reached twice is copied once, so aliases and
 * cycles survive): primitives, arrays, plain objects and typed arrays are copied here, anything else (a Map, a Date)
 * by structuredClone. A planner copies the task state per sample; structuredClone's serialise and parse cost more
 * than the small states themselves.
 */
export function copyPlainData<T>(value: T): T {
  return copy(value, new Map()) as T;
}

function copy(value: unknown, copies: Map<object, unknown>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const done = copies.get(value);
  if (done !== undefined) return done;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return remember(copies, value, (value as Float64Array).slice());
  if (Array.isArray(value)) {
    const out = remember(copies, value, new Array(value.length));
    value.forEach((item, i) => (out[i] = copy(item, copies)));
    return out;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return remember(copies, value, structuredClone(value));
  const out = remember(copies, value, {} as Record<string, unknown>);
  for (const key of Object.keys(value)) out[key] = copy((value as Record<string, unknown>)[key], copies);
  return out;
}

function remember<T>(copies: Map<object, unknown>, original: object, made: T): T {
  copies.set(original, made);
  return made;
}
