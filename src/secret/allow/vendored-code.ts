import type { AllowRule } from '../types.js';

/** Vendored third-party source. */
export const vendoredCode = {
  id: 'vendored-code',
  description: 'vendor directories',
  path: '/vendor/',
} as const satisfies AllowRule;
