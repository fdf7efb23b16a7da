import type { SecretRule } from '../types.js';

/** A GitLab personal, project or group access token: `glpat-` and 20 characters. */
export const gitlabToken = {
  id: 'gitlab-token',
  title: 'GitLab access token',
  severity: 'CRITICAL',
  keywords: ['glpat-'],
  pattern: String.raw`(?:\A|[^0-9A-Za-z_-])(?P<secret>glpat-[0-9A-Za-z_-]{20})(?:[^0-9A-Za-z_-]|\z)`,
} as const satisfies SecretRule;
