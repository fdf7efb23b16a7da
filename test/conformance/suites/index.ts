import type { ConformanceSuite } from '../types.js';
import { trivy } from './trivy.js';

/** Every peer suite, alphabetically. Adding one = one file + one line. */
export const SUITES: readonly ConformanceSuite[] = [trivy];
