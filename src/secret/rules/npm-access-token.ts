import type { SecretRule } from '../types.js';

/** An npm access token: `npm_` and 36 characters (in `.npmrc` as `_authToken=`, or anywhere else). */
export const npmAccessToken = {
  id: 'npm-access-token',
  title: 'npm access token',
  severity: 'CRITICAL',
  keywords: ['npm_'],
  pattern: String.raw`(?:\A|[^0-9A-Za-z_])(?P<secret>npm_[0-9A-Za-z]{36})(?:[^0-9A-Za-z_]|\z)`,
} as const satisfies SecretRule;
