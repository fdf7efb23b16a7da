import { EvaluationError } from '@marcbachmann/cel-js';

const VERB = /%(?:\.(\d+))?([a-zA-Z%])/g;

function isInt(v: unknown): v is bigint {
  return typeof v === 'bigint';
}

function intOf(v: unknown, verb: string): bigint {
  if (isInt(v)) return v;
  if (typeof v === 'object' && v !== null && v.constructor?.name === 'UnsignedInt')
    return v.valueOf() as bigint;
  if (typeof v === 'boolean' && verb === 'b') return v ? 1n : 0n;
  throw new EvaluationError(`%${verb} requires an integer argument`);
}

function numberOf(v: unknown, verb: string): number {
  if (typeof v === 'number') return v;
  if (isInt(v)) return Number(v);
  throw new EvaluationError(`%${verb} requires a numeric argument`);
}

function doubleText(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (!Number.isFinite(d)) return d > 0 ? '+Inf' : '-Inf';
  return String(d);
}

/** The `%s` text of any CEL value. */
export function stringOf(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return doubleText(v);
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
  if (v instanceof Date) return v.toISOString().replace('.000Z', 'Z');
  if (Array.isArray(v)) return `[${v.map(stringOf).join(', ')}]`;
  if (v instanceof Map)
    return `{${[...v.entries()].map(([k, x]) => `${stringOf(k)}:${stringOf(x)}`).join(', ')}}`;
  if (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)
    return `{${Object.entries(v as object)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, x]) => `${k}:${stringOf(x)}`)
      .join(', ')}}`;
  return String(v);
}

function exponent(d: number, precision: number): string {
  const [m, e] = d.toExponential(precision).split('e') as [string, string];
  const n = Number(e);
  return `${m}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
}

function hex(v: unknown, upper: boolean): string {
  let out: string;
  if (typeof v === 'string') out = Buffer.from(v, 'utf8').toString('hex');
  else if (v instanceof Uint8Array) out = Buffer.from(v).toString('hex');
  else {
    const i = intOf(v, 'x');
    out = i < 0n ? `-${(-i).toString(16)}` : i.toString(16);
  }
  return upper ? out.toUpperCase() : out;
}

/**
 * cel-go `string.format(list)`: `%s %d %f %.Nf %e %b %o %x %X %%`.
 * @example format('%d of %s', [1n, 'x']) // '1 of x'
 */
export function format(template: string, args: readonly unknown[]): string {
  let next = 0;
  const arg = (): unknown => {
    if (next >= args.length) throw new EvaluationError(`index ${next} out of range`);
    return args[next++];
  };
  return template.replace(VERB, (_whole, precision: string | undefined, verb: string) => {
    if (verb === '%') return '%';
    const p = precision === undefined ? undefined : Number(precision);
    const v = arg();
    switch (verb) {
      case 's':
        return stringOf(v);
      case 'd':
        if (typeof v === 'number') throw new EvaluationError('%d requires an integer argument');
        return String(intOf(v, 'd'));
      case 'f': {
        const d = numberOf(v, 'f');
        return Number.isFinite(d) ? d.toFixed(p ?? 6) : doubleText(d);
      }
      case 'e':
        return exponent(numberOf(v, 'e'), p ?? 6);
      case 'b':
        return intOf(v, 'b').toString(2);
      case 'o':
        return intOf(v, 'o').toString(8);
      case 'x':
      case 'X':
        return hex(v, verb === 'X');
      default:
        throw new EvaluationError(
          `could not parse formatting clause: unrecognized formatting clause "${verb}"`,
        );
    }
  });
}

const ESCAPES: Record<string, string> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '\\': '\\\\',
  '"': '\\"',
};

/** `strings.quote`: a double-quoted, escaped string literal. */
export function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ESCAPES[ch]) out += ESCAPES[ch];
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code >= 0xd800 && code <= 0xdfff) out += '\ufffd';
    else out += ch;
  }
  return `${out}"`;
}
