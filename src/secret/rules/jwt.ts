import type { SecretRule } from '../types.js';

/** A JSON Web Token: three base64url parts, the first two JSON objects (`eyJ` is `{"` encoded). */
export const jwt = {
  id: 'jwt',
  title: 'JSON Web Token',
  severity: 'MEDIUM',
  keywords: ['eyJ'],
  caseSensitive: true,
  reach: 2048,
  pattern: String.raw`(?:\A|[^0-9A-Za-z_.-])(?P<secret>eyJ[0-9A-Za-z_-]{10,}\.eyJ[0-9A-Za-z_-]{10,}\.[0-9A-Za-z_-]{10,})(?:[^0-9A-Za-z_.-]|\z)`,
} as const satisfies SecretRule;
