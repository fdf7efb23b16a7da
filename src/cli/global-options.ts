/**
 * Global options, declared once as data (CONTRACTS.md). The program, the generated CLI reference and the
 * option resolution all read this list.
 */
export interface GlobalOption {
  /** Commander flags. @example '--format <format>' */
  flags: string;
  /** Property name in the parsed options. */
  name: 'format' | 'output' | 'quiet' | 'progress' | 'home' | 'database' | 'debug' | 'color' | 'wide';
  description: string;
  /** Environment variable consulted when the flag is absent. */
  env?: string;
  defaultDescription?: string;
}

export const GLOBAL_OPTIONS: readonly GlobalOption[] = [
  {
    flags: '--format <format>',
    name: 'format',
    description: 'output format: table, json, or a format the command lists (sarif, junit, cyclonedx, spdx…)',
    defaultDescription: 'table',
  },
  {
    flags: '--output <file>',
    name: 'output',
    description: 'write the result to FILE instead of standard output',
  },
  {
    flags: '--wide',
    name: 'wide',
    description:
      'tables: show every value in full (no wrapping to $COLUMNS or the terminal, no shortened digests)',
  },
  { flags: '--quiet', name: 'quiet', description: 'print nothing but the result (no notices, no progress)' },
  {
    flags: '--no-progress',
    name: 'progress',
    description: 'no progress bars (they go to stderr, and only on a terminal)',
  },
  {
    flags: '--no-color',
    name: 'color',
    description: 'no colours in table output (also when NO_COLOR is set)',
  },
  {
    flags: '--home <dir>',
    name: 'home',
    description: "Bulkhead's data directory",
    env: 'BULKHEAD_HOME',
    defaultDescription: '~/.bulkhead',
  },
  {
    flags: '--database <url>',
    name: 'database',
    description: 'database URL: postgres://… for PostgreSQL, else a SQLite file',
    env: 'BULKHEAD_DATABASE_URL',
    defaultDescription: 'SQLite at <home>/bulkhead.db',
  },
  { flags: '--debug', name: 'debug', description: 'print stack traces of internal errors' },
];
