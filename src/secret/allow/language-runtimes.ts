import type { AllowRule } from '../types.js';

/** The standard libraries official language images install (Go's root, Python's lib, Yarn, RubyGems, WordPress). */
export const languageRuntimes = {
  id: 'language-runtimes',
  description: 'language runtimes of official images',
  path: String.raw`\A(?:opt/yarn-v[0-9.]+|usr/local/go|usr/local/lib/python[0-9.]+|usr/lib/gems|usr/src/wordpress)/`,
} as const satisfies AllowRule;
