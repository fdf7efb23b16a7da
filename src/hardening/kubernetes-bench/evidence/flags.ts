/**
 * Command-line flags as Kubernetes components read them (pflag): `--name=value`, `--name value`, or a bare
 * `--name` (a boolean set to true); the last occurrence wins. Components take no positional arguments, so a
 * token after a bare flag that does not start with `-` is its value.
 */
export function parseFlags(args: readonly string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('-') || arg === '-' || arg === '--') continue;
    const body = arg.replace(/^--?/, '');
    const eq = body.indexOf('=');
    if (eq >= 0) flags.set(body.slice(0, eq), body.slice(eq + 1));
    else if (i + 1 < args.length && !args[i + 1]!.startsWith('-')) flags.set(body, args[++i]!);
    else flags.set(body, 'true');
  }
  return flags;
}

/** A config file value as the flag would spell it: lists comma-joined, maps as `k=v` pairs, scalars as text. */
export function settingText(value: unknown): string {
  if (Array.isArray(value)) return value.map(settingText).join(',');
  if (value !== null && typeof value === 'object')
    return Object.entries(value)
      .map(([k, v]) => `${k}=${settingText(v)}`)
      .join(',');
  return String(value);
}

/** The value at a dotted path of a parsed config (`authentication.anonymous.enabled`), undefined when absent. */
export function configValue(config: Record<string, unknown> | null, path: string): unknown {
  let current: unknown = config;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current === null ? undefined : current;
}
