import { describe, expect, it } from 'vitest';
import { corpusPath } from '../corpus.js';
import { kubewardenSuite } from './suites/kubewarden.js';
import { closingLine, runSuite } from './summarize.js';

describe('kubewarden suite through the HTTPS webhook', () => {
  it('agrees on at least 95 % of the implemented cases when every body is POSTed to admission serve', async () => {
    const offline = await runSuite(kubewardenSuite, corpusPath(kubewardenSuite.defaultDir));
    const served = await runSuite(kubewardenSuite, corpusPath(kubewardenSuite.defaultDir), {
      throughServer: true,
    });
    const implemented = served.passed + served.failed;
    const failures = served.cases.filter((c) => c.verdict === 'failed').map((c) => `${c.id}: ${c.detail}`);
    expect(implemented, closingLine(served)).toBeGreaterThanOrEqual(80);
    expect(served.passed / implemented, failures.join('\n')).toBeGreaterThanOrEqual(0.95);
    // the webhook decides exactly as the engine does in process
    expect(served.cases.map((c) => [c.id, c.verdict])).toEqual(offline.cases.map((c) => [c.id, c.verdict]));
  });
});
