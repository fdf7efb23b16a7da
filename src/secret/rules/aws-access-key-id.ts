import type { SecretRule } from '../types.js';

/** An AWS access key id: a four-letter kind prefix (AKIA long-term, ASIA temporary, …) and 16 base-32 characters. */
export const awsAccessKeyId = {
  id: 'aws-access-key-id',
  title: 'AWS access key id',
  severity: 'CRITICAL',
  keywords: ['AKIA', 'ASIA', 'AGPA', 'AIDA', 'AROA', 'AIPA', 'ANPA', 'ANVA', 'A3T'],
  caseSensitive: true,
  reach: 24,
  pattern: String.raw`(?:\A|[^0-9A-Za-z])(?P<secret>(?:A3T[A-Z0-9]|AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)[A-Z0-9]{16})(?:[^0-9A-Za-z]|\z)`,
} as const satisfies SecretRule;
