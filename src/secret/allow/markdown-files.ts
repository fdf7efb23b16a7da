import type { AllowRule } from '../types.js';

/** Documentation shows how credentials look. */
export const markdownFiles = {
  id: 'markdown-files',
  description: 'Markdown documents',
  path: String.raw`\.md\z`,
} as const satisfies AllowRule;
