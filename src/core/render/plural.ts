/**
 * `n` and the noun in the right number: `plural(1, 'advisory', 'advisories')` → `1 advisory`. The plural defaults
 * to the noun plus `s`.
 */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}
