import type { Control } from '../types.js';
import { section1 } from './section-1.js';
import { section2 } from './section-2.js';
import { section2Continued } from './section-2-continued.js';
import { section3 } from './section-3.js';
import { section4 } from './section-4.js';
import { section5 } from './section-5.js';
import { section5Continued } from './section-5-continued.js';
import { section6 } from './section-6.js';
import { section7 } from './section-7.js';

/** Every recommendation of the CIS Docker Benchmark v1.8.0, in benchmark order. */
export const CONTROLS: readonly Control[] = [
  ...section1,
  ...section2,
  ...section2Continued,
  ...section3,
  ...section4,
  ...section5,
  ...section5Continued,
  ...section6,
  ...section7,
];

/** Titles of the benchmark sections, as the table groups them. */
export const SECTION_TITLES: Readonly<Record<string, string>> = {
  '1.1': '1.1 Linux hosts specific configuration',
  '1.2': '1.2 General configuration',
  '2': '2 Docker daemon configuration',
  '3': '3 Docker daemon configuration files',
  '4': '4 Container images and build file configuration',
  '5': '5 Container runtime configuration',
  '6': '6 Docker security operations',
  '7': '7 Docker Swarm configuration',
};
