import type { AllowRule } from '../types.js';

/** A credential that calls itself an example, in a file whose path says example (API docs bundled with SDKs). */
export const examplePaths = {
  id: 'example-paths',
  description: 'example credentials in example files',
  path: '(?i)example',
  secret: '(?i)example',
} as const satisfies AllowRule;
