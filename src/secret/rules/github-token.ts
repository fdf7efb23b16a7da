import type { SecretRule } from '../types.js';

/** A GitHub token: personal access (ghp_), OAuth (gho_), user-to-server (ghu_), server-to-server (ghs_), refresh (ghr_). */
export const githubToken = {
  id: 'github-token',
  title: 'GitHub token',
  severity: 'CRITICAL',
  keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'],
  pattern: String.raw`(?:\A|[^0-9A-Za-z_])(?P<secret>gh[pousr]_[0-9A-Za-z]{36,251})(?:[^0-9A-Za-z_]|\z)`,
} as const satisfies SecretRule;
