import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { errorMessage, UserInputError } from '../core/errors.js';
import { LicensePolicy } from '../license/policy.js';
import { DETECTION_PRIORITIES, type DetectionPriority } from '../sbom/os-owned.js';
import { DEFAULT_SCANNERS, parseScanners, type ScannerName } from '../scan/scanners.js';
import { parseSeveritySources } from '../scan/severity.js';
import { parseAge } from '../store/prune.js';

const MiB = 1024 * 1024;

/** A boolean as YAML gives it (true/false) or as a flag or variable spells it (true/false/1/0/yes/no). */
const Flag = z.union([
  z.boolean(),
  z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes'),
]);

/** An age as `store prune` takes it: `30d`, `12h`, `2w`. */
const Age = z.string().refine((v) => parseAge(v) !== undefined, {
  error: (issue) => `"${String(issue.input)}" is not an age such as 30d, 12h or 2w`,
});

/** A count from 0, as YAML gives it (a number) or as a flag or variable spells it. */
const Count = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const n = typeof v === 'number' ? v : /^\s*\d+\s*$/.test(v) ? Number(v) : Number.NaN;
  if (Number.isSafeInteger(n) && n >= 0) return n;
  ctx.addIssue({ code: 'custom', message: `"${String(v)}" is not a whole number` });
  return z.NEVER;
});

/**
 * How long stored scans are kept: what `store prune` applies when no flag is given. `olderThan` unset = nothing
 * is pruned without `--older-than`.
 */
export const Retention = z
  .object({
    /** Scans started longer ago than this are deleted with their results. */
    olderThan: Age.optional(),
    /** The newest N scans of each kind and target stay whatever their age. */
    keepLast: Count.default(1),
  })
  .strict();
export type Retention = z.infer<typeof Retention>;

/** `ubuntu,nvd,ghsa` or `auto`: whose severity a finding takes, in order (`image scan --vuln-severity-source`). */
const SeveritySources = z.string().transform((v, ctx) => {
  try {
    return parseSeveritySources(v, 'vulnSeveritySource');
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: errorMessage(error).replace(/^vulnSeveritySource: /, '') });
    return z.NEVER;
  }
});

/** `vuln,secret,license` (or a YAML list of them): what `image scan` looks for without `--scanners`. */
const Scanners = z.union([z.string(), z.array(z.string())]).transform((v, ctx) => {
  try {
    return parseScanners(Array.isArray(v) ? v.join(',') : v, 'scanners');
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: errorMessage(error).replace(/^scanners: /, '') });
    return z.NEVER;
  }
});

export const RETENTION_KEYS = ['olderThan', 'keepLast'] as const;
export type RetentionKey = (typeof RETENTION_KEYS)[number];

/**
 * `<home>/config.yaml`: the one statement of the settings of `bulkhead serve`, of the store's retention and of
 * the image scan's severity source. Flags and `BULKHEAD_*`
 * variables override the file (names derived from the keys below: `bodyLimit` → `BULKHEAD_BODY_LIMIT`).
 * Run-time settings (users, tokens, registries) live in the store, not here.
 */
export const ServeConfig = z
  .object({
    /** Address to listen on. */
    host: z.string().min(1).default('127.0.0.1'),
    /** 0 picks a free port. */
    port: z.coerce.number().int().min(0).max(65535).default(8080),
    /** PEM certificate and key: HTTPS (and Secure cookies) when both are given. */
    tlsCert: z.string().min(1).optional(),
    tlsKey: z.string().min(1).optional(),
    /** postgres://… or a SQLite file; default SQLite at <home>/bulkhead.db. */
    database: z.string().min(1).optional(),
    /** Largest request body, bytes. */
    bodyLimit: z.coerce.number().int().positive().default(MiB),
    /** Largest pushed report, bytes. */
    reportBodyLimit: z.coerce
      .number()
      .int()
      .positive()
      .default(32 * MiB),
    /** Exceptions need an approver other than the requester. */
    requireApproval: Flag.default(false),
    /** How long a dashboard login lasts, seconds. */
    sessionTtl: z.coerce
      .number()
      .int()
      .positive()
      .default(12 * 60 * 60),
    /** Login attempts per minute for one address and user name. */
    loginRateLimit: z.coerce.number().int().positive().default(10),
    /** Retention of stored scans (`store prune`). */
    retention: Retention.optional(),
    /** Whose severity an image scan's findings take, in order (`--vuln-severity-source`); absent = `auto`. */
    vulnSeveritySource: SeveritySources.optional(),
    /** What an image scan looks for without `--scanners` (vuln, secret, license); absent = vuln. */
    scanners: Scanners.optional(),
    /** The image scan's licence policy: SPDX ids or categories under allowed, review, denied. */
    licensePolicy: LicensePolicy.optional(),
    /** Whether image scans and SBOMs list language packages OS packages installed (`--detection-priority`). */
    detectionPriority: z.enum(DETECTION_PRIORITIES).optional(),
  })
  .strict()
  .refine((c) => (c.tlsCert === undefined) === (c.tlsKey === undefined), {
    message: 'give both tlsCert and tlsKey, or neither',
    path: ['tlsCert'],
  });

export type ServeConfig = z.infer<typeof ServeConfig>;
export type ServeConfigKey = Exclude<
  keyof z.input<typeof ServeConfig>,
  'retention' | 'vulnSeveritySource' | 'scanners' | 'licensePolicy' | 'detectionPriority'
>;

/** `vulnSeveritySource`'s variable. */
export const SEVERITY_SOURCE_ENV = 'BULKHEAD_VULN_SEVERITY_SOURCE';
/** `scanners`' variable. */
export const SCANNERS_ENV = 'BULKHEAD_SCANNERS';
/** `detectionPriority`'s variable. */
export const DETECTION_PRIORITY_ENV = 'BULKHEAD_DETECTION_PRIORITY';

export const CONFIG_KEYS: readonly ServeConfigKey[] = [
  'host',
  'port',
  'tlsCert',
  'tlsKey',
  'database',
  'bodyLimit',
  'reportBodyLimit',
  'requireApproval',
  'sessionTtl',
  'loginRateLimit',
];

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();

/** `bodyLimit` → `BULKHEAD_BODY_LIMIT`; `database` keeps the CLI's `BULKHEAD_DATABASE_URL`. */
export function envName(key: ServeConfigKey): string {
  if (key === 'database') return 'BULKHEAD_DATABASE_URL';
  return `BULKHEAD_${snake(key)}`;
}

/** `retention.olderThan` → `BULKHEAD_RETENTION_OLDER_THAN`. */
export const retentionEnvName = (key: RetentionKey) => `BULKHEAD_RETENTION_${snake(key)}`;

const flagName = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

export interface ConfigSources {
  home: string;
  /** Flag values by key; undefined = not given. */
  flags?: Partial<Record<ServeConfigKey, string | number | boolean | undefined>>;
  /** `store prune`'s --older-than and --keep-last; undefined = not given. */
  retentionFlags?: Partial<Record<RetentionKey, string | undefined>>;
  env?: NodeJS.ProcessEnv;
}

/** The settings of `<home>/config.yaml` (none when the file is absent or empty); not a YAML mapping is a UserInputError. */
function readConfigFile(file: string): Record<string, unknown> {
  if (!existsSync(file)) return {};
  let parsed: unknown;
  try {
    parsed = parseYaml(readFileSync(file, 'utf8'), { logLevel: 'error' });
  } catch (error) {
    throw new UserInputError(file, `not valid YAML: ${errorMessage(error)}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new UserInputError(file, 'not a mapping');
  return parsed as Record<string, unknown>;
}

/**
 * The image scan's severity source order: `--vuln-severity-source`, else `BULKHEAD_VULN_SEVERITY_SOURCE`, else
 * `vulnSeveritySource` in `<home>/config.yaml`; undefined = `auto`. Only that key is read, so a serve setting a
 * scan does not use cannot stop it. A bad order is a UserInputError naming where it came from.
 */
export function loadSeveritySources(sources: {
  home: string;
  flag?: string | undefined;
  env?: NodeJS.ProcessEnv;
}): string[] | undefined {
  const file = join(sources.home, 'config.yaml');
  const env = (sources.env ?? process.env)[SEVERITY_SOURCE_ENV];
  const [value, input] =
    sources.flag !== undefined
      ? [sources.flag, '--vuln-severity-source']
      : env !== undefined && env !== ''
        ? [env, SEVERITY_SOURCE_ENV]
        : [readConfigFile(file).vulnSeveritySource, `${file}: vulnSeveritySource`];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new UserInputError(input, 'not a comma-separated list of sources');
  return parseSeveritySources(value, input);
}

/**
 * What image scans and SBOMs catalog: `--detection-priority`, else `BULKHEAD_DETECTION_PRIORITY`, else
 * `detectionPriority` in `<home>/config.yaml`, else precise. Only that key is read; a bad value is a
 * UserInputError naming where it came from.
 */
export function loadDetectionPriority(sources: {
  home: string;
  flag?: string | undefined;
  env?: NodeJS.ProcessEnv;
}): DetectionPriority | undefined {
  const file = join(sources.home, 'config.yaml');
  const env = (sources.env ?? process.env)[DETECTION_PRIORITY_ENV];
  const [value, input] =
    sources.flag !== undefined
      ? [sources.flag, '--detection-priority']
      : env !== undefined && env !== ''
        ? [env, DETECTION_PRIORITY_ENV]
        : [readConfigFile(file).detectionPriority, `${file}: detectionPriority`];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !(DETECTION_PRIORITIES as readonly string[]).includes(value))
    throw new UserInputError(input, `"${String(value)}" is not one of ${DETECTION_PRIORITIES.join(', ')}`);
  return value as DetectionPriority;
}

/**
 * The image scan's scanners: `--scanners`, else `BULKHEAD_SCANNERS`, else `scanners` in `<home>/config.yaml`, else
 * `vuln`. Only that key is read; a bad list is a UserInputError naming where it came from.
 */
export function loadScanners(sources: {
  home: string;
  flag?: string | undefined;
  env?: NodeJS.ProcessEnv;
}): ScannerName[] {
  const file = join(sources.home, 'config.yaml');
  const env = (sources.env ?? process.env)[SCANNERS_ENV];
  const [value, input] =
    sources.flag !== undefined
      ? [sources.flag, '--scanners']
      : env !== undefined && env !== ''
        ? [env, SCANNERS_ENV]
        : [readConfigFile(file).scanners, `${file}: scanners`];
  if (value === undefined || value === null) return [...DEFAULT_SCANNERS];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string'))
    return parseScanners(value.join(','), input);
  if (typeof value !== 'string') throw new UserInputError(input, 'not a list of scanners');
  return parseScanners(value, input);
}

/** The image scan's licence policy: `licensePolicy` in `<home>/config.yaml`, else the default per category. */
export function loadLicensePolicy(sources: { home: string }): LicensePolicy {
  const file = join(sources.home, 'config.yaml');
  const result = LicensePolicy.safeParse(readConfigFile(file).licensePolicy ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const key = ['licensePolicy', ...issue.path.map(String)].join('.');
  throw new UserInputError(`${file}: ${key}`, issue.message);
}

/** The file, then the environment, then the flags; a bad value is a UserInputError naming its key and source. */
export function loadServeConfig(sources: ConfigSources): ServeConfig {
  return resolveServeConfig(sources).config;
}

/** The settings and, for each, the input that gave it (`--port`, `BULKHEAD_PORT`, `<file>: port`; the flag when defaulted). */
export function resolveServeConfig(sources: ConfigSources): {
  config: ServeConfig;
  input(key: ServeConfigKey): string;
} {
  const file = join(sources.home, 'config.yaml');
  const merged: Record<string, unknown> = Object.create(null);
  const origin: Record<string, string> = Object.create(null);
  for (const [key, value] of Object.entries(readConfigFile(file))) {
    merged[key] = value;
    origin[key] = `${file}: ${key}`;
    if (key === 'retention' && typeof value === 'object' && value !== null)
      for (const sub of Object.keys(value)) origin[`retention.${sub}`] = `${file}: retention.${sub}`;
  }
  const env = sources.env ?? process.env;
  for (const key of CONFIG_KEYS) {
    const value = env[envName(key)];
    if (value !== undefined && value !== '') {
      merged[key] = value;
      origin[key] = envName(key);
    }
  }
  for (const key of CONFIG_KEYS) {
    const value = sources.flags?.[key];
    if (value !== undefined) {
      merged[key] = value;
      origin[key] = flagName(key);
    }
  }
  // retention is a mapping: each of its keys is overridden on its own
  const retention = (source: string, key: RetentionKey, value: string) => {
    const current = merged.retention;
    merged.retention = {
      ...(typeof current === 'object' && current !== null && !Array.isArray(current) ? current : {}),
      [key]: value,
    };
    origin[`retention.${key}`] = source;
  };
  for (const key of RETENTION_KEYS) {
    const value = env[retentionEnvName(key)];
    if (value !== undefined && value !== '') retention(retentionEnvName(key), key, value);
  }
  for (const key of RETENTION_KEYS) {
    const value = sources.retentionFlags?.[key];
    if (value !== undefined) retention(flagName(key), key, value);
  }
  const severitySource = env[SEVERITY_SOURCE_ENV];
  if (severitySource !== undefined && severitySource !== '') {
    merged.vulnSeveritySource = severitySource;
    origin.vulnSeveritySource = SEVERITY_SOURCE_ENV;
  }
  const result = ServeConfig.safeParse(merged);
  if (result.success) return { config: result.data, input: (key) => origin[key] ?? flagName(key) };
  const issue = result.error.issues[0]!;
  const key = issue.path.map(String).join('.');
  const prefix = key ? `${key}.` : '';
  const unknown =
    issue.code === 'unrecognized_keys' ? issue.keys.map((k) => prefix + k).join(', ') : undefined;
  if (unknown) throw new UserInputError(`${file}: ${unknown}`, 'unknown setting');
  throw new UserInputError(origin[key] ?? origin[String(issue.path[0])] ?? key, issue.message);
}
