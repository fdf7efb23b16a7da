/** Render a document as pretty JSON with a trailing newline. */
export function renderJson(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** Arrays longer than this are written element by element. */
const LARGE_ARRAY = 256;
/** How deep containers are opened up looking for large arrays (a report's rows sit at depth 1 to 3). */
const OPEN_DEPTH = 4;

/**
 * The same text as `renderJson`, in pieces: a report of 100,000 rows is never one string (nor its bytes), so its
 * output costs the size of one row at a time, not twice the document. Containers near the top are opened up;
 * large arrays are written one element per piece; everything else is stringified whole and re-indented.
 */
export function* jsonChunks(document: unknown): Generator<string> {
  yield* pieces(document, '', 0);
  yield '\n';
}

function* pieces(input: unknown, indent: string, depth: number): Generator<string> {
  const value = toJsonValue(input);
  if (Array.isArray(value) && (value.length > LARGE_ARRAY || depth < OPEN_DEPTH) && value.length > 0) {
    const inner = `${indent}  `;
    const whole = value.length > LARGE_ARRAY;
    yield '[';
    for (let i = 0; i < value.length; i++) {
      yield `${i === 0 ? '\n' : ',\n'}${inner}`;
      const item = skipped(value[i]) ? null : value[i];
      if (whole) yield leaf(item, inner);
      else yield* pieces(item, inner, depth + 1);
    }
    yield `\n${indent}]`;
    return;
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && depth < OPEN_DEPTH) {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).filter((k) => !skipped(record[k]));
    if (keys.length === 0) {
      yield '{}';
      return;
    }
    const inner = `${indent}  `;
    yield '{';
    for (let i = 0; i < keys.length; i++) {
      yield `${i === 0 ? '\n' : ',\n'}${inner}${JSON.stringify(keys[i])}: `;
      yield* pieces(record[keys[i]!], inner, depth + 1);
    }
    yield `\n${indent}}`;
    return;
  }
  yield leaf(value, indent);
}

/** What JSON.stringify writes for a value after its `toJSON`. */
function toJsonValue(value: unknown): unknown {
  if (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
  )
    return (value as { toJSON: () => unknown }).toJSON();
  return value;
}

/** Values JSON.stringify leaves out of objects (and writes as null in arrays). */
function skipped(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

function leaf(value: unknown, indent: string): string {
  const text = JSON.stringify(value, null, 2) ?? 'null';
  // JSON text has no raw newline inside strings: every newline is indentation
  return indent === '' ? text : text.replaceAll('\n', `\n${indent}`);
}
