// Task states are plain data (scenario.ts); env snapshots copy them once per planner sample.

/** The typed arrays copied here (a subclass such as Node's Buffer, whose slice shares memory, goes to structuredClone). */
const TYPED_ARRAYS = new Set<unknown>([Float64Array, Float32Array, Int32Array, Uint32Array, Int16Array, Uint16Array, Int8Array, Uint8Array, Uint8ClampedArray, BigInt64Array, BigUint64Array]);

/**
 * A deep copy of plain data that structuredClone would copy alike: an object reached twice is copied once, so aliases
 * and cycles survive; primitives, arrays (their elements), plain objects and typed arrays are copied here, anything
 * else (a Map, a Date, a Buffer) by structuredClone, and a function or symbol is refused as structuredClone refuses it.
 * A planner copies the task state per sample; structuredClone's serialise and parse cost more than small states.
 */
export function copyPlainData<T>(value: T): T {
  return copy(value, new Map()) as T;
}

function copy(value: unknown, copies: Map<object, unknown>): unknown {
  if (typeof value === 'function' || typeof value === 'symbol') throw new TypeError(`copyPlainData: a ${typeof value} is not plain data`);
  if (typeof value !== 'object' || value === null) return value;
  const done = copies.get(value);
  if (done !== undefined) return done;
  const made = (copied: unknown) => (copies.set(value, copied), copied);
  if (TYPED_ARRAYS.has(value.constructor)) return made(new (value.constructor as Float64ArrayConstructor)(value as Float64Array));
  if (Array.isArray(value)) {
    const out = made(new Array(value.length)) as unknown[];
    value.forEach((item, i) => (out[i] = copy(item, copies)));
    return out;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return made(structuredClone(value));
  const out = made({}) as Record<string, unknown>;
  for (const key of Object.keys(value)) {
    const item = copy((value as Record<string, unknown>)[key], copies);
    // An own '__proto__' key (JSON can make one) stays a key, as structuredClone keeps it, rather than setting the prototype.
    if (key === '__proto__') Object.defineProperty(out, key, { value: item, enumerable: true, writable: true, configurable: true });
    else out[key] = item;
  }
  return out;
}
