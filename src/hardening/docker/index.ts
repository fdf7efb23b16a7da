export {
  BENCHMARK,
  type BenchResult,
  runControls,
  selectControls,
  summarize,
  toControlResults,
} from './benchmark.js';
export { CONTROLS, SECTION_TITLES } from './controls/index.js';
export { type CollectOptions, collectEvidence } from './evidence/index.js';
export { benchmarkHead, type HostInventoryDocument, hostInventoryDocument } from './host-inventory.js';
export { type BenchmarkDocument, benchmarkDocument, benchmarkReport } from './report.js';
export {
  type DockerBenchmarkOptions,
  type DockerBenchmarkOutcome,
  runDockerBenchmark,
} from './run-benchmark.js';
export type { Control, Evidence, Outcome } from './types.js';
