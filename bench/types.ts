/** One timed side of a benchmark. */
export interface Timing {
  label: string;
  /** Median wall time over the repetitions, in milliseconds. */
  ms: number;
}

export interface BenchResult {
  subject: Timing;
  baseline: Timing;
  /** What the target is, e.g. '≤ 3× baseline'. */
  target?: string;
  /** Largest acceptable subject/baseline ratio, when the issue sets one. */
  maxRatio?: number;
  /** Whether an absolute target (a latency, a rate) was met, when the benchmark judges one itself. */
  met?: boolean;
  /** Other figures worth reporting (sizes, rates). */
  notes?: string[];
}

/** A benchmark: one file in bench/, one line in bench/index.ts. It measures its own baseline in the same run. */
export interface Benchmark {
  name: string;
  description: string;
  run(): Promise<BenchResult>;
}
