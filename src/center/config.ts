import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { errorMessage, UserInputError } from '../core/errors.js';

const MiB = 1024 * 1024;

/** A boolean as YAML gives it (true/false) or as a flag or variable spells it (true/false/1/0/yes/no). */
const Flag = z.union([
  z.boolean(),
  z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes'),
]);

/**
 * `<home>/config.yaml` of `bulkhead serve`: the one statement of the server's settings. Flags and `BULKHEAD_*`
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
  })
  .strict()
  .refine((c) => (c.tlsCert === undefined) === (c.tlsKey === undefined), {
    message: 'give both tlsCert and tlsKey, or neither',
    path: ['tlsCert'],
  });

export type ServeConfig = z.infer<typeof ServeConfig>;
export type ServeConfigKey = keyof z.input<typeof ServeConfig>;

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

/** `bodyLimit` → `BULKHEAD_BODY_LIMIT`; `database` keeps the CLI's `BULKHEAD_DATABASE_URL`. */
export function envName(key: ServeConfigKey): string {
  if (key === 'database') return 'BULKHEAD_DATABASE_URL';
  return `BULKHEAD_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

export interface ConfigSources {
  home: string;
  /** Flag values by key; undefined = not given. */
  flags?: Partial<Record<ServeConfigKey, string | number | boolean | undefined>>;
  env?: NodeJS.ProcessEnv;
}

/** The file, then the environment, then the flags; a bad value is a UserInputError naming its key and source. */
export function loadServeConfig(sources: ConfigSources): ServeConfig {
  const file = join(sources.home, 'config.yaml');
  const merged: Record<string, unknown> = {};
  const origin: Record<string, string> = {};
  if (existsSync(file)) {
    let parsed: unknown;
    try {
      parsed = parseYaml(readFileSync(file, 'utf8'), { logLevel: 'error' });
    } catch (error) {
      throw new UserInputError(file, `not valid YAML: ${errorMessage(error)}`);
    }
    if (parsed !== null && parsed !== undefined) {
      if (typeof parsed !== 'object' || Array.isArray(parsed))
        throw new UserInputError(file, 'not a mapping');
      for (const [key, value] of Object.entries(parsed)) {
        merged[key] = value;
        origin[key] = `${file}: ${key}`;
      }
    }
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
      origin[key] = `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    }
  }
  const result = ServeConfig.safeParse(merged);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const key = issue.path.length > 0 ? String(issue.path[0]) : '';
  const unknown = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : undefined;
  if (unknown) throw new UserInputError(`${file}: ${unknown}`, 'unknown setting');
  throw new UserInputError(origin[key] ?? key, issue.message);
}
