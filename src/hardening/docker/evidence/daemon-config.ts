/**
 * The daemon's effective configuration: its command line (as /proc shows it) over the daemon.json it reads.
 * Pure functions; the collector feeds them what it read from the host.
 */

/** dockerd flags that take no value (`--icc` alone means true; `--icc=false` is still accepted). */
const BOOLEAN_FLAGS = new Set([
  'debug',
  'experimental',
  'icc',
  'init',
  'ip-forward',
  'ip-masq',
  'iptables',
  'ip6tables',
  'ipv6',
  'live-restore',
  'no-new-privileges',
  'raw-logs',
  'selinux-enabled',
  'tls',
  'tlsverify',
  'userland-proxy',
  'validate',
  'rootless',
  'version',
  'help',
]);

const SHORT: Record<string, string> = {
  H: 'host',
  D: 'debug',
  l: 'log-level',
  G: 'group',
  p: 'pidfile',
  g: 'data-root',
  b: 'bridge',
  s: 'storage-driver',
  v: 'version',
  h: 'help',
};

const RENAMED: Record<string, string> = { graph: 'data-root' };

/** Flags that may be repeated, and the daemon.json key (a list) each one feeds. */
const LIST_FLAGS: Record<string, string> = {
  host: 'hosts',
  'default-ulimit': 'default-ulimits',
  'insecure-registry': 'insecure-registries',
  'authorization-plugin': 'authorization-plugins',
  'storage-opt': 'storage-opts',
  'log-opt': 'log-opts',
  'registry-mirror': 'registry-mirrors',
  'exec-opt': 'exec-opts',
  label: 'labels',
  dns: 'dns',
  'dns-opt': 'dns-opts',
  'dns-search': 'dns-search',
  'add-runtime': 'runtimes',
};

export interface ParsedArgs {
  /** Settings given on the command line, keyed like daemon.json. */
  flags: Record<string, unknown>;
  /** `--config-file` value (given as `--config-file=X` or `--config-file X`). */
  configFile: string | undefined;
}

function parseBool(value: string): boolean {
  return !/^(false|0|no|off)$/i.test(value);
}

/**
 * Parse a dockerd argv (without the program name).
 * @example parseDockerdArgs(['--config-file', '/etc/d.json', '--icc=false', '-H', 'unix:///x.sock'])
 */
export function parseDockerdArgs(argv: readonly string[]): ParsedArgs {
  const flags: Record<string, unknown> = {};
  let configFile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const m = /^(--?)([A-Za-z0-9][\w.-]*)(?:=(.*))?$/s.exec(arg);
    if (!m) continue;
    let name = m[1] === '-' && m[2]!.length === 1 ? (SHORT[m[2]!] ?? m[2]!) : m[2]!;
    name = RENAMED[name] ?? name;
    let value: string | undefined = m[3];
    if (BOOLEAN_FLAGS.has(name)) {
      flags[name] = value === undefined ? true : parseBool(value);
      continue;
    }
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('-')) continue;
      value = next;
      i++;
    }
    if (name === 'config-file') {
      configFile = value;
      continue;
    }
    const listKey = LIST_FLAGS[name];
    if (listKey) {
      const list = (flags[listKey] as string[] | undefined) ?? [];
      list.push(value);
      flags[listKey] = list;
    } else {
      flags[name] = value;
    }
  }
  return { flags, configFile };
}

/** Defaults dockerd uses for a key that neither the command line nor daemon.json sets. */
export const DAEMON_DEFAULTS: Readonly<Record<string, unknown>> = {
  'data-root': '/var/lib/docker',
  'exec-root': '/var/run/docker',
  'log-level': 'info',
  debug: false,
  icc: true,
  iptables: true,
  'userland-proxy': true,
  'no-new-privileges': false,
  'live-restore': false,
  experimental: false,
  tlsverify: false,
  group: 'docker',
};

export const DEFAULT_CONFIG_FILE = '/etc/docker/daemon.json';

export interface EffectiveConfig {
  /** Every key: command line over daemon.json over defaults. */
  values: Record<string, unknown>;
  /** Where each key came from. */
  origin: Record<string, 'flag' | 'file' | 'default'>;
}

/** Merge command line, daemon.json and defaults the way dockerd does (it refuses real conflicts at start). */
export function effectiveConfig(
  flags: Record<string, unknown>,
  file: Record<string, unknown>,
  defaults: Record<string, unknown> = {},
): EffectiveConfig {
  const values: Record<string, unknown> = {};
  const origin: EffectiveConfig['origin'] = {};
  for (const [k, v] of Object.entries({ ...DAEMON_DEFAULTS, ...defaults })) {
    values[k] = v;
    origin[k] = 'default';
  }
  for (const [k, v] of Object.entries(file)) {
    values[k] = v;
    origin[k] = 'file';
  }
  for (const [k, v] of Object.entries(flags)) {
    values[k] = v;
    origin[k] = 'flag';
  }
  // `-D` and `log-level` interact: debug forces the debug level
  if (values.debug === true) values['log-level'] = 'debug';
  return { values, origin };
}

/** A daemon.json value as a list of strings (accepts a single string too). */
export function listValue(values: Record<string, unknown>, key: string): string[] {
  const v = values[key];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  if (typeof v === 'string' && v !== '') return [v];
  return [];
}

/** A daemon.json value as a boolean (accepts "true"/"false" strings from the command line). */
export function boolValue(values: Record<string, unknown>, key: string): boolean {
  const v = values[key];
  if (typeof v === 'string') return parseBool(v);
  return v === true;
}

/** A daemon.json value as a string, or undefined. */
export function stringValue(values: Record<string, unknown>, key: string): string | undefined {
  const v = values[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}
