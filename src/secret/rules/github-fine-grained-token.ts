import type { SecretRule } from '../types.js';

/** A GitHub fine-grained personal access token: `github_pat_`, 22 characters, `_`, 59 characters. */
export const githubFineGrainedToken = {
  id: 'github-fine-grained-token',
  title: 'GitHub fine-grained personal access token',
  severity: 'CRITICAL',
  keywords: ['github_pat_'],
  pattern: String.raw`(?P<secret>github_pat_[0-9A-Za-z]{22}_[0-9A-Za-z]{59})(?:[^0-9A-Za-z_]|\z)`,
} as const satisfies SecretRule;
