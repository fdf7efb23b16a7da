/** JUnit XML, in the dialect CI systems (Jenkins, GitLab, GitHub actions reporters) read. */
export interface JunitCase {
  name: string;
  classname: string;
  /** Failure text; the case failed when set. */
  failure?: { message: string; type?: string; details?: string };
  /** Reason the case was not evaluated (manual, not applicable). */
  skipped?: string;
  /** Output shown with the case, e.g. evidence. */
  systemOut?: string;
  timeSeconds?: number;
}

export interface JunitSuite {
  name: string;
  cases: JunitCase[];
}

export function escapeXml(text: string): string {
  return (
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
      // characters XML 1.0 forbids
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
  );
}

function attrs(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join('');
}

export function renderJunit(name: string, suites: JunitSuite[]): string {
  const count = (pred: (c: JunitCase) => boolean) =>
    suites.reduce((n, s) => n + s.cases.filter(pred).length, 0);
  const total = count(() => true);
  const failures = count((c) => c.failure !== undefined);
  const skipped = count((c) => c.skipped !== undefined);
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(`<testsuites${attrs({ name, tests: total, failures, errors: 0, skipped })}>`);
  for (const suite of suites) {
    const f = suite.cases.filter((c) => c.failure).length;
    const s = suite.cases.filter((c) => c.skipped !== undefined).length;
    out.push(
      `  <testsuite${attrs({ name: suite.name, tests: suite.cases.length, failures: f, errors: 0, skipped: s })}>`,
    );
    for (const c of suite.cases) {
      const head = `    <testcase${attrs({ name: c.name, classname: c.classname, time: c.timeSeconds ?? 0 })}`;
      const body: string[] = [];
      if (c.failure) {
        const type = c.failure.type ? attrs({ type: c.failure.type }) : '';
        body.push(
          `      <failure${attrs({ message: c.failure.message })}${type}>${escapeXml(c.failure.details ?? c.failure.message)}</failure>`,
        );
      }
      if (c.skipped !== undefined) body.push(`      <skipped${attrs({ message: c.skipped })}/>`);
      if (c.systemOut) body.push(`      <system-out>${escapeXml(c.systemOut)}</system-out>`);
      out.push(body.length ? `${head}>\n${body.join('\n')}\n    </testcase>` : `${head}/>`);
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}
