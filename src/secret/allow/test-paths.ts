import type { AllowRule } from '../types.js';

/** Test code and fixtures hold sample credentials on purpose. */
export const testPaths = {
  id: 'test-paths',
  description: 'test files, test data and fixtures',
  path: String.raw`(?i)(?:\Atest|/test|-test|_test|\.test|/testdata/|/__fixtures__/|/fixtures?/)`,
} as const satisfies AllowRule;
