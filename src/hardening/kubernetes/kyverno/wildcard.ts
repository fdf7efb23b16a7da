const cache = new Map<string, RegExp>();

export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

/**
 * Kyverno's wildcard match: `*` any run of characters (also none), `?` any one character, the rest literal.
 * @example wildcardMatch('nginx:*', 'nginx:1.25') // true
 */
export function wildcardMatch(pattern: string, text: string): boolean {
  if (!hasWildcard(pattern)) return pattern === text;
  if (pattern === '*') return true;
  let re = cache.get(pattern);
  if (!re) {
    re = new RegExp(
      `^${pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replaceAll('*', '.*')
        .replaceAll('?', '.')}$`,
      's',
    );
    if (cache.size > 5_000) cache.clear();
    cache.set(pattern, re);
  }
  return re.test(text);
}
