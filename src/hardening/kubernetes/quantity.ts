const SUFFIX: Readonly<Record<string, number>> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
  Pi: 1024 ** 5,
  Ei: 1024 ** 6,
};

/**
 * A Kubernetes quantity as a number in base units, or undefined when it is not one.
 * @example parseQuantity('500m') // 0.5
 * @example parseQuantity('1Gi') === parseQuantity('1024Mi') // true
 */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*(Ki|Mi|Gi|Ti|Pi|Ei|[numkKMGTPE]?)\s*$/.exec(
    value,
  );
  if (!m) return undefined;
  // "1e3" is an exponent; "1E" alone is exa: the regex keeps the exponent only when digits follow
  const n = Number(m[1]);
  const factor = SUFFIX[m[2]!];
  if (!Number.isFinite(n) || factor === undefined) return undefined;
  return n * factor;
}
