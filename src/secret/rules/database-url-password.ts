import type { SecretRule } from '../types.js';

/** A database or broker URL with a password in it: `postgres://user:PASSWORD@host/db` (and MySQL, MongoDB, Redis, AMQP, SQL Server). */
export const databaseUrlPassword = {
  id: 'database-url-password',
  title: 'Database URL with a password',
  severity: 'HIGH',
  keywords: ['postgres', 'mysql', 'mariadb', 'mongodb', 'redis', 'amqp', 'mssql', 'sqlserver'],
  lowerCase: true,
  pattern: String.raw`(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver)://[^\s:@/'"]+:(?P<secret>[^\s:@/'"]+)@[^\s/'"]+`,
  allow: [String.raw`(?i)\A(?:\$.*|%.*|<.*>|\{\{.*\}\}|\*+|x+|\.+|pass(?:word|wd)?|secret|changeme)\z`],
} as const satisfies SecretRule;
