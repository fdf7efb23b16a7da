/** The verdict of one peer case. `not-implemented`: the peer's check has no Bulkhead counterpart yet. */
export type Verdict = 'passed' | 'failed' | 'not-implemented';

export interface CaseOutcome {
  /** Case id in the peer's own terms, e.g. `library/general/allowedrepos/samples/repo-must-not-be-k8s-gcr-io`. */
  id: string;
  verdict: Verdict;
  /**
   * For failures: what differed. For not-implemented: which peer check is missing, led by a kebab-case reason
   * code the summary counts (`image-absent: the test image is not in the corpus…`).
   */
  detail?: string;
}

/** How a suite reaches Bulkhead: in process (default), or, for admission suites, over HTTPS to the webhook. */
export interface SuiteOptions {
  /** POST each AdmissionReview to a real `admission serve` HTTPS server instead of deciding in process. */
  throughServer?: boolean;
}

/**
 * A peer's test suite read in the peer's own layout from any directory: one file in suites/, one line in
 * suites/index.ts.
 */
export interface ConformanceSuite {
  name: string;
  description: string;
  /** Where the visible copy lives, relative to the corpus root. */
  defaultDir: string;
  /** The suite can run through the HTTPS webhook (`--through-server`). */
  throughServer?: boolean;
  run(dir: string, options?: SuiteOptions): AsyncIterable<CaseOutcome>;
}

export interface SuiteSummary {
  suite: string;
  dir: string;
  passed: number;
  failed: number;
  notImplemented: number;
  cases: CaseOutcome[];
}
