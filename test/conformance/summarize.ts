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

/** The reason code leading a not-implemented detail (`mutation: …` → `mutation`), `-` when it has none. */
export function reasonOf(detail: string | undefined): string {
  return /^([a-z][a-z0-9]*(?:-[a-z0-9]+)*): /.exec(detail ?? '')?.[1] ?? '-';
}

/** `image-absent 12, package-golden-held-out 2`: the not-implemented cases counted by reason code. */
export function reasonTally(s: Pick<SuiteSummary, 'cases'>): string {
  const counts = new Map<string, number>();
  for (const c of s.cases)
    if (c.verdict === 'not-implemented')
      counts.set(reasonOf(c.detail), (counts.get(reasonOf(c.detail)) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([r, n]) => `${r} ${n}`)
    .join(', ');
}
