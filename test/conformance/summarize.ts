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
    cases: [],
  };
  for await (const outcome of suite.run(dir, options)) {
    summary.cases.push(outcome);
    if (outcome.verdict === 'passed') summary.passed++;
    else if (outcome.verdict === 'failed') summary.failed++;
    else summary.notImplemented++;
  }
  return summary;
}

export function closingLine(s: Pick<SuiteSummary, 'passed' | 'failed' | 'notImplemented'>): string {
  return `${s.passed} passed, ${s.failed} failed, ${s.notImplemented} not implemented`;
}
