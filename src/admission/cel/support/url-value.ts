import { EvaluationError } from '@marcbachmann/cel-js';
import { requestUriError } from './request-uri.js';

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;
/** Characters left as they are in an escaped path (RFC 3986 pchar plus `/`). */
const PATH_SAFE = /[A-Za-z0-9\-._~!$&'()*+,;=:@/]/;

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new EvaluationError(`invalid URL escape in ${JSON.stringify(s)}`);
  }
}

/**
 * A URL as Go's `url.ParseRequestURI` reads it (the Kubernetes `url` library): an absolute URI or an absolute
 * path. The fragment, when present, is kept apart.
 * @example URLValue.parse('https://[::1]:80/a?x=1').hostname // '::1'
 */
export class URLValue {
  private constructor(
    readonly scheme: string,
    readonly host: string,
    readonly rawPath: string,
    readonly rawQuery: string,
    /** The rest of a URI whose scheme is not followed by `/` (`mailto:a@example.com`), as Go's `Opaque`. */
    readonly opaque = '',
  ) {}

  static tryParse(input: string): URLValue | undefined {
    if (requestUriError(input) !== undefined) return undefined;
    if (input === '*') return new URLValue('', '', '*', '');
    let rest = input.split('#', 1)[0]!;
    let rawQuery = '';
    const q = rest.indexOf('?');
    if (q >= 0) {
      rawQuery = rest.slice(q + 1);
      rest = rest.slice(0, q);
    }
    const m = SCHEME.exec(rest);
    let scheme = '';
    let host = '';
    if (m) {
      scheme = m[1]!.toLowerCase();
      rest = rest.slice(m[0].length);
      if (rest.startsWith('//')) {
        const end = rest.indexOf('/', 2);
        const authority = end < 0 ? rest.slice(2) : rest.slice(2, end);
        rest = end < 0 ? '' : rest.slice(end);
        host = authority.slice(authority.lastIndexOf('@') + 1);
        if (!URLValue.validHost(host)) return undefined;
      } else if (!rest.startsWith('/')) return new URLValue(scheme, '', '', rawQuery, rest);
    } else if (!rest.startsWith('/')) return undefined;
    try {
      decodeURIComponent(rest);
    } catch {
      return undefined;
    }
    return new URLValue(scheme, host, rest, rawQuery);
  }

  private static validHost(host: string): boolean {
    if (host.startsWith('[')) return /^\[[0-9A-Fa-f:.]+(%[^\]]+)?\](:\d*)?$/.test(host);
    return /^[^\s/?#[\]@]*$/.test(host) && host.split(':').length <= 2;
  }

  static parse(input: string): URLValue {
    const u = URLValue.tryParse(input);
    if (!u) throw new EvaluationError(`URL parse error during conversion from string: ${input}`);
    return u;
  }

  get hostname(): string {
    if (this.host.startsWith('[')) return this.host.slice(1, this.host.indexOf(']'));
    const colon = this.host.indexOf(':');
    return colon < 0 ? this.host : this.host.slice(0, colon);
  }

  get port(): string {
    const from = this.host.startsWith('[') ? this.host.indexOf(']') : 0;
    const colon = this.host.indexOf(':', from);
    return colon < 0 ? '' : this.host.slice(colon + 1);
  }

  /** The path with every character outside RFC 3986 path characters percent-encoded. */
  get escapedPath(): string {
    let out = '';
    for (const ch of decode(this.rawPath)) {
      if (PATH_SAFE.test(ch)) out += ch;
      else
        for (const b of Buffer.from(ch, 'utf8')) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    }
    return out;
  }

  /** Query parameters as Go's `url.ParseQuery` returns them; pairs that do not decode are left out. */
  get query(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const pair of this.rawQuery.split('&')) {
      if (pair === '' || pair.includes(';')) continue;
      const eq = pair.indexOf('=');
      const plus = (s: string) => s.replace(/\+/g, ' ');
      try {
        const key = decodeURIComponent(plus(eq < 0 ? pair : pair.slice(0, eq)));
        const value = eq < 0 ? '' : decodeURIComponent(plus(pair.slice(eq + 1)));
        out[key] = [...(out[key] ?? []), value];
      } catch {
        // Go's ParseQuery drops pairs that do not decode
      }
    }
    return out;
  }

  equals(other: unknown): boolean {
    return other instanceof URLValue && other.toString() === this.toString();
  }

  toString(): string {
    if (this.opaque) return `${this.scheme}:${this.opaque}${this.rawQuery ? `?${this.rawQuery}` : ''}`;
    const auth = this.scheme ? `${this.scheme}:${this.host ? `//${this.host}` : ''}` : '';
    return `${auth}${this.rawPath}${this.rawQuery ? `?${this.rawQuery}` : ''}`;
  }
}
