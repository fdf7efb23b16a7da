/**
 * Kyverno's anchors on pattern keys: conditional `(k)`, global `<(k)`, existence `^(k)`, equality `=(k)`,
 * negation `X(k)` and add-if-absent `+(k)` (a mutation anchor: validation ignores it).
 */
export type AnchorKind = 'conditional' | 'global' | 'existence' | 'equality' | 'negation' | 'addIfAbsent';

export interface Anchor {
  kind: AnchorKind;
  key: string;
}

const MODIFIER: Readonly<Record<string, AnchorKind>> = {
  '': 'conditional',
  '<': 'global',
  '^': 'existence',
  '=': 'equality',
  X: 'negation',
  '+': 'addIfAbsent',
};

const ANCHOR = /^([+<=X^]?)\((.+)\)$/s;

/** The anchor of a pattern key, or undefined for a plain key. @example parseAnchor('=(hostPath)') */
export function parseAnchor(key: string): Anchor | undefined {
  const m = ANCHOR.exec(key);
  if (!m) return undefined;
  return { kind: MODIFIER[m[1]!]!, key: m[2]! };
}

/** Does a pattern (sub)tree hold an anchor anywhere? Such keys are evaluated first, as Kyverno does. */
export function hasNestedAnchor(pattern: unknown): boolean {
  if (Array.isArray(pattern)) return pattern.some(hasNestedAnchor);
  if (pattern && typeof pattern === 'object')
    return Object.entries(pattern).some(([k, v]) => parseAnchor(k) !== undefined || hasNestedAnchor(v));
  return false;
}
