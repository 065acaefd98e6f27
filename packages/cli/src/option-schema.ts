// A plug-in's options as its schema states them (JSON Schema from Standard JSON Schema, which zod 4 implements):
// one source for `itinera describe`, for the keys an option error lists, and for validation itself.
import type { StandardSchemaV1 } from '@itinera/core';

export interface OptionInfo {
  key: string;
  /** 'integer', 'number', 'boolean', 'string', one of the enum's values, 'object'… */
  type: string;
  default?: unknown;
  /** '[1, 1000]', '> 0', '≤ 2', or '' when unbounded. */
  range: string;
  description: string;
  optional: boolean;
}

type JsonSchema = Record<string, any>;

/** The schema's JSON Schema (input side, so defaults count as optional), or undefined when it offers none. */
export function jsonSchemaOf(schema: StandardSchemaV1<unknown, unknown>): JsonSchema | undefined {
  try {
    return schema['~standard'].jsonSchema?.input({ target: 'draft-2020-12' });
  } catch {
    // Some schemas (custom refinements, transforms) have no JSON Schema form: then we only validate.
    return undefined;
  }
}

/** Every option of an object schema, in declaration order; `defaults` (the plug-in's own) win over the schema's. */
export function optionInfos(schema: StandardSchemaV1<unknown, unknown>, defaults: Record<string, unknown> = {}): OptionInfo[] | undefined {
  const json = jsonSchemaOf(schema);
  if (!json || typeof json.properties !== 'object') return undefined;
  const required = new Set<string>(json.required ?? []);
  return Object.entries(json.properties as Record<string, JsonSchema>).map(([key, p]) => {
    const value = unwrap(p);
    return {
      key,
      type: typeOf(value),
      default: key in defaults ? defaults[key] : value.default ?? p.default,
      range: rangeOf(value),
      description: p.description ?? value.description ?? '',
      optional: !required.has(key) && !(key in defaults) && p.default === undefined,
    };
  });
}

/** The keys an object schema accepts, when it says and refuses others (zod's strict objects). */
export function closedKeys(schema: StandardSchemaV1<unknown, unknown>): string[] | undefined {
  const json = jsonSchemaOf(schema);
  if (!json || typeof json.properties !== 'object' || json.additionalProperties !== false) return undefined;
  return Object.keys(json.properties);
}

/** An optional or nullable value is `anyOf [T, null]` or similar: describe T. */
function unwrap(p: JsonSchema): JsonSchema {
  const alternatives: JsonSchema[] | undefined = p.anyOf ?? p.oneOf;
  if (!alternatives) return p;
  const nonNull = alternatives.filter((a) => a.type !== 'null');
  return nonNull.length === 1 ? { ...nonNull[0], default: p.default ?? nonNull[0].default, description: p.description ?? nonNull[0].description } : p;
}

function typeOf(p: JsonSchema): string {
  if (Array.isArray(p.enum)) return p.enum.map((v: unknown) => JSON.stringify(v).replace(/^"|"$/g, '')).join('|');
  if (p.const !== undefined) return JSON.stringify(p.const);
  if (Array.isArray(p.anyOf ?? p.oneOf)) return (p.anyOf ?? p.oneOf).map(typeOf).join(' or ');
  if (p.type === 'array') return `array of ${p.items ? typeOf(p.items) : 'any'}`;
  if (p.type === 'object') return 'object';
  return Array.isArray(p.type) ? p.type.join(' or ') : (p.type ?? 'any');
}

function rangeOf(schema: JsonSchema): string {
  // zod bounds every integer by the safe-integer range: not a limit worth stating.
  const p = { ...schema };
  if (p.maximum === Number.MAX_SAFE_INTEGER) delete p.maximum;
  if (p.minimum === Number.MIN_SAFE_INTEGER) delete p.minimum;
  const low = p.minimum !== undefined ? ['[', p.minimum] : p.exclusiveMinimum !== undefined ? ['(', p.exclusiveMinimum] : undefined;
  const high = p.maximum !== undefined ? [p.maximum, ']'] : p.exclusiveMaximum !== undefined ? [p.exclusiveMaximum, ')'] : undefined;
  if (low && high) return `${low[0]}${fmt(low[1])}, ${fmt(high[0])}${high[1]}`;
  if (low) return `${low[0] === '[' ? '≥' : '>'} ${fmt(low[1])}`;
  if (high) return `${high[1] === ']' ? '≤' : '<'} ${fmt(high[0])}`;
  if (p.minLength !== undefined) return `length ≥ ${p.minLength}`;
  return '';
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(6)));
}
