import { dbImport } from './db-import.js';
import { sbom } from './sbom.js';
import { scan } from './scan.js';
import { storeWrite } from './store-write.js';
import type { Benchmark } from './types.js';

/** Every benchmark, alphabetically. Adding one = one file + one line. */
export const BENCHMARKS: readonly Benchmark[] = [dbImport, storeWrite, sbom, scan];
