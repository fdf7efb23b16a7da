import type { AllowRule } from '../types.js';
import { documentedExamples } from './documented-examples.js';
import { examplePaths } from './example-paths.js';
import { languageRuntimes } from './language-runtimes.js';
import { localeFiles } from './locale-files.js';
import { markdownFiles } from './markdown-files.js';
import { systemDirectories } from './system-directories.js';
import { testPaths } from './test-paths.js';
import { vendoredCode } from './vendored-code.js';

/** Where a secret rule's match is no finding, one file each (adding one = one file + one line here). */
export const ALLOW_RULES: readonly AllowRule[] = [
  documentedExamples,
  examplePaths,
  languageRuntimes,
  localeFiles,
  markdownFiles,
  systemDirectories,
  testPaths,
  vendoredCode,
];
