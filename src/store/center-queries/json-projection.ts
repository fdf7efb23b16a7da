import { type RawBuilder, sql } from 'kysely';
import type { Dialect } from '../open.js';

/**
 * A list item written as JSON text by the database itself. Reading fifty rows of twenty columns into JavaScript
 * objects, reshaping them and serialising them again cost three times the query that finds them; the same
 * object built by SQL string functions costs a fraction of it and leaves one string per row. The members are
 * declared in the order the item is written; the API's list answers splice these texts into their `items`.
 *
 * Both dialects build the object the same way — `'{' || concat_ws(',', '"key":' || value, …) || '}'` — and
 * differ only in how a value is quoted as JSON (`json_quote` in SQLite, `to_json` in PostgreSQL). A member
 * that is left out when its column is NULL yields NULL, which `concat_ws` skips.
 */
export type JsonValue =
  /** A text column as a JSON string, `null` when NULL. */
  | { text: string }
  /** The first non-NULL of these text columns, as a JSON string. */
  | { textOf: readonly string[] }
  /** An integer column as a JSON number, `null` when NULL. */
  | { integer: string }
  /** A column holding JSON text (written by toJsonColumn), spliced as it is; `fallback` when NULL or empty. */
  | { json: string; fallback: string }
  /**
   * A column holding a JSON object of numbers (nested objects allowed), completed by `defaults` where a member is
   * missing; members are written in the order of `defaults`.
   */
  | { numbersOnto: string; defaults: Readonly<Record<string, unknown>> }
  /** A nested object. */
  | { object: readonly JsonMember[] };

export interface JsonMember {
  key: string;
  value: JsonValue;
  /** Leave the member out when this column is NULL (the presenter's `...(x !== null ? {key: x} : {})`). */
  omitWhenNull?: string;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function column(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`json projection: ${name} is not a column name`);
  return `"${name}"`;
}

function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** The value as JSON text; `null` for NULL (PostgreSQL's to_json gives SQL NULL there, which concat_ws would skip). */
function quote(dialect: Dialect, expression: string): string {
  return dialect === 'sqlite'
    ? `json_quote(${expression})`
    : `coalesce(to_json(${expression})::text, 'null')`;
}

/** What the builder writes: the callers' values, plus SQL number expressions it builds itself (never a caller). */
type InternalValue =
  | Exclude<JsonValue, { object: unknown }>
  | { object: readonly InternalMember[] }
  | { sql: string };
type InternalMember = Omit<JsonMember, 'value'> & { value: InternalValue };

function value(dialect: Dialect, v: InternalValue): string {
  if ('sql' in v) return quote(dialect, v.sql);
  if ('text' in v) return quote(dialect, column(v.text));
  if ('textOf' in v) return quote(dialect, `coalesce(${v.textOf.map(column).join(', ')})`);
  if ('integer' in v) return quote(dialect, column(v.integer));
  if ('json' in v) {
    JSON.parse(v.fallback);
    return `coalesce(nullif(${column(v.json)}, ''), ${literal(v.fallback)})`;
  }
  if ('numbersOnto' in v) {
    const stored = `coalesce(nullif(${column(v.numbersOnto)}, ''), '{}')`;
    // SQLite's json_patch (RFC 7396 merge) lays the stored members over the defaults, keeping their order.
    if (dialect === 'sqlite') return `json_patch(${literal(JSON.stringify(v.defaults))}, ${stored})`;
    return objectExpression(dialect, numbersAt(`${stored}::json`, v.defaults, []));
  }
  return objectExpression(dialect, v.object);
}

/** PostgreSQL: each number of `defaults` read at its path of the stored object (`#>>`), the default when absent. */
function numbersAt(
  stored: string,
  defaults: Readonly<Record<string, unknown>>,
  path: string[],
): InternalMember[] {
  return Object.entries(defaults).map(([key, d]) => {
    const at = [...path, key];
    if (!NAME.test(key)) throw new Error(`json projection: ${key} is not a member name`);
    if (typeof d === 'number')
      return {
        key,
        value: { sql: `coalesce((${stored} #>> ${literal(`{${at.join(',')}}`)})::numeric, ${d})` },
      };
    if (d !== null && typeof d === 'object')
      return { key, value: { object: numbersAt(stored, d as Record<string, unknown>, at) } };
    throw new Error(`json projection: the default of ${at.join('.')} is not a number or an object`);
  });
}

function objectExpression(dialect: Dialect, members: readonly InternalMember[]): string {
  const parts = members.map((m) => {
    if (!NAME.test(m.key)) throw new Error(`json projection: ${m.key} is not a member name`);
    const pair = `${literal(`"${m.key}":`)} || ${value(dialect, m.value)}`;
    return m.omitWhenNull === undefined
      ? pair
      : `CASE WHEN ${column(m.omitWhenNull)} IS NOT NULL THEN ${pair} END`;
  });
  return `'{' || concat_ws(',', ${parts.join(', ')}) || '}'`;
}

/** The object as one SQL expression of type text, for a select list. */
export function jsonObject(dialect: Dialect, members: readonly JsonMember[]): RawBuilder<string> {
  return sql<string>`${sql.raw(expressionOf(dialect, members))}`;
}

/** Built once per member list and dialect: a list asks for it on every request. */
const built = new WeakMap<readonly JsonMember[], Partial<Record<Dialect, string>>>();

function expressionOf(dialect: Dialect, members: readonly JsonMember[]): string {
  const byDialect = built.get(members) ?? {};
  built.set(members, byDialect);
  const text = byDialect[dialect] ?? objectExpression(dialect, members);
  byDialect[dialect] = text;
  return text;
}
