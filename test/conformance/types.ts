/** The verdict of one peer case. `not-implemented`: the peer's check has no Bulkhead counterpart yet. */
export type Verdict = 'passed' | 'failed' | 'not-implemented';

/**
 * Why a peer case is not decided: `unsupported-feature` (a peer feature Bulkhead does not have), `needs-node-data`
 * (node or kubelet descriptions), `needs-cloud-data` (a cloud provider's API), `needs-cluster-data` (live cluster
 * look-ups), `needs-vulnerability-data` (image scan results), `mutation` (the peer changes the object), `generate`
 * (the peer creates objects), `image-verification` (signatures), `invalid-policy` (the peer's policy does not
 * compile here), `held-out` (the case's inputs are not in the corpus copy), `no-cataloger` (no Bulkhead cataloger
 * reads the case's packages); the Trivy suite also names which input is absent: `image-absent`, `input-absent`,
 * `vex-absent`, `golden-held-out`, and a golden it cannot judge by: `golden-empty`, `golden-without-os`.
 */
export type NotImplementedReason =
  | 'unsupported-feature'
  | 'needs-node-data'
  | 'needs-cloud-data'
  | 'needs-cluster-data'
  | 'needs-vulnerability-data'
  | 'mutation'
  | 'generate'
  | 'image-verification'
  | 'invalid-policy'
  | 'held-out'
  | 'no-cataloger'
  | 'image-absent'
  | 'input-absent'
  | 'vex-absent'
  | 'golden-held-out'
  | 'golden-empty'
  | 'golden-without-os';

export interface CaseOutcome {
  /** Case id in the peer's own terms, e.g. `library/general/allowedrepos/samples/repo-must-not-be-k8s-gcr-io`. */
  id: string;
  verdict: Verdict;
  /** For not-implemented: the reason code (the k8s policy suites always give one). */
  reason?: NotImplementedReason;
  /** For failures: what differed. For not-implemented: which peer check is missing. */
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
  /** Not-implemented cases per reason code (`none` when a case gave no code). */
  reasons: Record<string, number>;
  cases: CaseOutcome[];
}
