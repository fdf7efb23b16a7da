export {
  BENCHMARK,
  BENCHMARK_IDS,
  type BenchmarkId,
  type BenchResult,
  detectTargets,
  parseBenchmark,
  parseTargets,
  runControls,
  selectControls,
  summarize,
  toControlResults,
} from './benchmark.js';
export { CONTROLS, SECTION_TITLES } from './controls/index.js';
export { type CollectOptions, collectEvidence } from './evidence/index.js';
export { benchmarkDocument, benchmarkReport, type KubernetesBenchmarkDocument } from './report.js';
export {
  type KubernetesBenchmarkOptions,
  type KubernetesBenchmarkOutcome,
  runKubernetesBenchmark,
} from './run-benchmark.js';
export type { Control, Evidence, Outcome, Target } from './types.js';
