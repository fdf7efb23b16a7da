import { k8sScan } from './k8s-scan.js';
import { storeWrite } from './store-write.js';
import type { Benchmark } from './types.js';

/** Every benchmark, alphabetically. Adding one = one file + one line. */
export const BENCHMARKS: readonly Benchmark[] = [k8sScan, storeWrite];
