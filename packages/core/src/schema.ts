import { ItineraError } from './errors.js';

/**
 * The Standard Schema interface (https://standardschema.dev), which zod 4 implements:
 * core states it structurally so it stays free of dependencies.
 */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => StandardResult<Output> | Promise<StandardResult<Output>>;
    readonly types?: { readonly input: Input; readonly output: Output };
    /** Standard JSON Schema (zod 4 offers it): what `itinera describe` and option errors read keys, defaults and ranges from. */
    readonly jsonSchema?: { readonly input: (options: { readonly target: 'draft-2020-12' }) => Record<string, unknown> };
  };
}

export type StandardResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: ReadonlyArray<{ readonly message: string; readonly path?: ReadonlyArray<PropertyKey | { key: PropertyKey }> }> };

export type Infer<S> = S extends StandardSchemaV1<unknown, infer O> ? O : never;

/** Validates synchronously; every issue becomes one line `where: path: message`. */
export function parseWithSchema<T>(schema: StandardSchemaV1<unknown, T>, value: unknown, where: string): T {
  const result = schema['~standard'].validate(value);
  if (result instanceof Promise) throw new Error(`${where}: schema validation must be synchronous`);
  if (result.issues) {
    throw new ItineraError(
      result.issues.map((issue) => {
        const path = (issue.path ?? []).map((p) => String(typeof p === 'object' ? p.key : p)).join('.');
        return `${where}: ${path ? `${path}: ` : ''}${issue.message}`;
      }),
    );
  }
  return result.value;
}

/** Parses `key=value` overrides (numbers, booleans and JSON where they parse, strings otherwise). */
export function parseOverrides(pairs: readonly string[], where: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new ItineraError(`${where}: expected key=value, got '${pair}'`);
    const key = pair.slice(0, eq).trim();
    const raw = pair.slice(eq + 1).trim();
    out[key] = parseScalar(raw);
  }
  return out;
}

function parseScalar(raw: string): unknown {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (raw !== '' && Number.isFinite(Number(raw))) return Number(raw);
  if (/^[[{"]/.test(raw)) {
    try {
      return JSON.parse(raw);
    } catch {
      return raw;
    }
  }
  return raw;
}
