import type { FuncKeywordDefinition, ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { userRegex } from '../../../regex/re2.js';
import { parseQuantity } from '../quantity.js';

/**
 * `pattern` as RE2: Polaris (Go) schemas write `(?i)` flags JavaScript refuses, and a policy's pattern must match
 * in linear time. Ajv keys compiled patterns by their `toString()`, so each says its own pattern.
 */
const re2 = Object.assign(
  (pattern: string) => {
    const regex = userRegex(pattern);
    return { test: (s: string) => regex.test(s), toString: () => `re2:${pattern}` };
  },
  { code: 'userRegex' },
);

/** Polaris' keywords: a Kubernetes quantity (a string, as the typed API object holds it) within a bound. */
function quantityBound(keyword: 'resourceMinimum' | 'resourceMaximum'): FuncKeywordDefinition {
  return {
    keyword,
    schemaType: ['string', 'number'],
    validate: (limit: unknown, data: unknown) => {
      const bound = parseQuantity(String(limit));
      const actual = typeof data === 'string' ? parseQuantity(data) : undefined;
      if (bound === undefined || actual === undefined) return false;
      return keyword === 'resourceMinimum' ? actual >= bound : actual <= bound;
    },
  };
}

/** One validator for every custom check: draft 2019-09 (Polaris' dialect), unknown keywords ignored as Polaris does. */
const ajv = new Ajv2019({ strict: false, allErrors: false, logger: false, code: { regExp: re2 } })
  .addKeyword(quantityBound('resourceMinimum'))
  .addKeyword(quantityBound('resourceMaximum'));

/**
 * Compile a custom check's JSON Schema (its `$schema` dialect line is not needed: every schema is read as draft
 * 2019-09). Throws with the validator's first line when the schema is malformed. The validator forgets the schema
 * once compiled: a templated check compiles a schema per distinct object, and two checks may share an `$id`.
 */
export function compileSchema(schema: Record<string, unknown>): ValidateFunction {
  const { $schema: _dialect, ...rest } = schema;
  try {
    return ajv.compile(rest);
  } catch (error) {
    throw new Error((error as Error).message.split('\n')[0]);
  } finally {
    ajv.removeSchema(rest);
  }
}

/** The first reason a value fails a compiled schema, in the validator's words: `/resources/limits must have required property 'cpu'`. */
export function firstError(validate: ValidateFunction): string {
  const e = validate.errors?.[0];
  if (!e) return 'does not match the schema';
  return `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}`;
}
