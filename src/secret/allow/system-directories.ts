import type { AllowRule } from '../types.js';

/** What the distribution's packages install: shared data, headers and libraries (their own test keys included). */
export const systemDirectories = {
  id: 'system-directories',
  description: 'usr/share, usr/include and usr/lib',
  path: String.raw`\Ausr/(?:share|include|lib)/`,
} as const satisfies AllowRule;
