/**
 * The key one index over a package list is searched by, from a package's name or from its purl's name: the
 * last segment of the name (after the group of a Maven `group:artifact`, the scope of an npm `@scope/name`, the
 * path of a Go module), lower-cased, with `.` and `_` as `-` (pypi's purl normalisation). A name and the name of
 * its purl give the same key, so one index answers both lookups; the exact name or purl is then compared on the
 * row, so two packages that share a key are never confused.
 * @example packageLookup('com.fasterxml.jackson.core:jackson-databind') === packageLookup('jackson-databind')
 */
export function packageLookup(name: string): string {
  const segments = name.split(/[/:]/);
  let last = '';
  for (let i = segments.length - 1; i >= 0 && !last; i--) last = segments[i]!;
  return (last || name).toLowerCase().replace(/[._]/g, '-');
}

/** The name of a package in a purl (`pkg:type/ns/name@version?q#sub`), decoded; undefined when it is no purl. */
export function purlName(purl: string): string | undefined {
  const m = /^pkg:[^/]+\/(?:[^@?#]*\/)?([^/@?#]+)/.exec(purl);
  if (!m?.[1]) return undefined;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return undefined;
  }
}

/** The lookup key of a purl's package (see `packageLookup`); undefined when it is no purl. */
export function purlLookup(purl: string): string | undefined {
  const name = purlName(purl);
  return name === undefined ? undefined : packageLookup(name);
}
