/**
 * Why Go's `url.ParseRequestURI` rejects a string (as the Kubernetes `format.uri()` reports it), or undefined
 * when it accepts it: an absolute URI (`scheme:` then an authority and absolute path, or an opaque rest) or an
 * absolute path. The fragment is not split off (a request URI has none), so `#` is part of the path.
 * @example requestUriError('example.com/x') // 'parse "example.com/x": invalid URI for request'
 */
export function requestUriError(raw: string): string | undefined {
  const reason = problem(raw);
  return reason === undefined ? undefined : `parse ${goQuote(raw)}: ${reason}`;
}

/** Go's `%q` for the strings that reach it here (printable text; control characters are rejected first). */
function goQuote(s: string): string {
  return JSON.stringify(s);
}

function problem(raw: string): string | undefined {
  if (/[\x00-\x1f\x7f]/.test(raw)) return 'net/url: invalid control character in URL';
  if (raw === '') return 'empty url';
  if (raw === '*') return undefined;
  let rest = raw;
  let scheme = '';
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i]!;
    if (/[A-Za-z]/.test(c)) continue;
    if (/[0-9+.-]/.test(c)) {
      if (i === 0) break;
      continue;
    }
    if (c === ':') {
      if (i === 0) return 'missing protocol scheme';
      scheme = rest.slice(0, i);
      rest = rest.slice(i + 1);
    }
    break;
  }
  if (rest.endsWith('?') && rest.indexOf('?') === rest.length - 1) rest = rest.slice(0, -1);
  else if (rest.includes('?')) rest = rest.slice(0, rest.indexOf('?'));
  if (!rest.startsWith('/')) return scheme ? undefined : 'invalid URI for request';
  if (scheme && rest.startsWith('//')) {
    const end = rest.indexOf('/', 2);
    const authority = end < 0 ? rest.slice(2) : rest.slice(2, end);
    rest = end < 0 ? '' : rest.slice(end);
    const authorityProblem = authorityError(authority);
    if (authorityProblem) return authorityProblem;
  }
  return escapeError(rest, false);
}

const USERINFO = /^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/;

function authorityError(authority: string): string | undefined {
  const at = authority.lastIndexOf('@');
  const host = at < 0 ? authority : authority.slice(at + 1);
  if (at >= 0) {
    const userinfo = authority.slice(0, at);
    if (!USERINFO.test(userinfo)) return 'net/url: invalid userinfo';
    const bad = escapeError(userinfo, false);
    if (bad) return bad;
  }
  let port = '';
  if (host.startsWith('[')) {
    const close = host.lastIndexOf(']');
    if (close < 0) return "missing ']' in host";
    port = host.slice(close + 1);
    if (port !== '' && !/^:[0-9]*$/.test(port)) return `invalid port ${goQuote(port)} after host`;
    // RFC 6874: `%25` starts the zone identifier, which may percent-encode any byte
    const zone = host.slice(0, close).indexOf('%25');
    if (zone >= 0)
      return (
        escapeError(host.slice(0, zone), true) ??
        escapeError(host.slice(zone, close), false, true) ??
        escapeError(host.slice(close), true)
      );
  } else if (host.includes(':')) port = host.slice(host.lastIndexOf(':'));
  if (port !== '' && !/^:[0-9]*$/.test(port)) return `invalid port ${goQuote(port)} after host`;
  return escapeError(host, true);
}

/**
 * Go's `unescape`: every `%` needs two hex digits; a host may only escape non-ASCII bytes (or `%25`, which starts a
 * zone) and holds no unsafe ASCII character; a zone may escape anything but holds no unsafe character either.
 */
function escapeError(s: string, host: boolean, zone = false): string | undefined {
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '%') {
      const hex = s.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return `invalid URL escape ${goQuote(s.slice(i, i + 3))}`;
      if (host && Number.parseInt(hex[0]!, 16) < 8 && hex !== '25')
        return `invalid URL escape ${goQuote(s.slice(i, i + 3))}`;
      i += 2;
    } else if ((host || zone) && c.charCodeAt(0) < 0x80 && !/[A-Za-z0-9\-._~!$&'()*+,;=:[\]<>"]/.test(c))
      return `invalid character ${goQuote(c)} in host name`;
  }
  return undefined;
}
