import type { AllowRule } from '../types.js';

/** Translations mention "password" in every language. */
export const localeFiles = {
  id: 'locale-files',
  description: 'locale directories',
  path: '/locales?/',
} as const satisfies AllowRule;
