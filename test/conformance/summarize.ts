import type { ConformanceSuite, SuiteOptions, SuiteSummary } from './types.js';

/** Run a suite over a directory and count its verdicts. */
export async function runSuite(
  suite: ConformanceSuite,
  dir: string,
  options: SuiteOptions = {},
): Promise<SuiteSummary> {
  const summary: SuiteSummary = {
    suite: suite.name,
    dir,
    passed: 0,
    failed: 0,
    notImplemented: 0,
    reasons: {},
    cases: [],
  };
  for await (const outcome of suite.run(dir, options)) {
    summary.cases.push(outcome);
    if (outcome.verdict === 'passed') summary.passed++;
    else if (outcome.verdict === 'failed') summary.failed++;
    else {
      summary.notImplemented++;
      const reason = outcome.reason ?? 'none';
      summary.reasons[reason] = (summary.reasons[reason] ?? 0) + 1;
    }
  }
  return summary;
}

export function closingLine(s: Pick<SuiteSummary, 'passed' | 'failed' | 'notImplemented'>): string {
  return `${s.passed} passed, ${s.failed} failed, ${s.notImplemented} not implemented`;
}

/** `n/i by reason: mutation 3, needs-node-data 12`, or nothing when every case was decided. */
export function reasonsLine(s: Pick<SuiteSummary, 'reasons'>): string | undefined {
  const entries = Object.entries(s.reasons).sort(([a], [b]) => a.localeCompare(b));
  return entries.length ? `n/i by reason: ${entries.map(([r, n]) => `${r} ${n}`).join(', ')}` : undefined;
}
