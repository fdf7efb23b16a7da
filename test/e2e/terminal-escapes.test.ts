import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { corpusPath } from '../corpus.js';
import { runBuiltCli } from './cli-support.js';

const dir = mkdtempSync(join(tmpdir(), 'bulkhead-escapes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cli: typeof runBuiltCli = (args, options) =>
  runBuiltCli(['--home', join(dir, 'home'), ...args], options);

/** What a hostile name carries: an OSC window title, a colour, a cursor-up, CR and LF, BEL, CSI (C1), a bidi override. */
const HOSTILE = 'web\u001b]0;pwned\u0007\u001b[31mred\u001b[1A\rFAKE\nROW\u009b2J\u202eevil';

/** Bytes a terminal would act on: C0 controls other than LF, DEL, C1 controls (UTF-8 C2 80–9F), bidi overrides. */
function actingBytes(text: string): string[] {
  return [...text.matchAll(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g)].map(
    (m) => `U+${m[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${m.index}`,
  );
}

describe('terminal output never carries control characters from what was read', () => {
  it('k8s scan: an object name with ESC/OSC/CR/LF/C1/bidi is shown escaped, on its own row', async () => {
    const file = join(dir, 'hostile.json');
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: HOSTILE, namespace: 'default' },
      spec: { containers: [{ name: HOSTILE, image: 'nginx', securityContext: { privileged: true } }] },
    };
    writeFileSync(file, JSON.stringify(pod));
    const run = await cli(['k8s', 'scan', file, '--wide'], { env: { COLUMNS: '200' } });
    expect(run.code, run.stderr).toBeLessThanOrEqual(1);
    expect(actingBytes(run.stdout)).toEqual([]);
    expect(actingBytes(run.stderr)).toEqual([]);
    expect(run.stdout).toContain('web\\x1b]0;pwned\\a\\x1b[31mred');
    expect(run.stdout).toContain('\\u202eevil');
    // no row starts with the injected text: the LF did not open a line of its own
    expect(run.stdout.split('\n').some((line) => line.startsWith('ROW'))).toBe(false);
  });

  it('runtime detect: an actor and a pod named by the attacker are shown escaped', async () => {
    const trace = JSON.parse(
      readFileSync(
        corpusPath('runtime', 'falco-k8saudit', 'test', 'trace_files', 'k8s_audit', 'exec_pod.json'),
        'utf8',
      ).split('\n')[0]!,
    ) as { user?: { username?: string }; objectRef?: { name?: string } };
    if (trace.user) trace.user.username = HOSTILE;
    if (trace.objectRef) trace.objectRef.name = HOSTILE;
    const run = await cli(['runtime', 'detect', '--source', 'k8s-audit', '-', '--no-store', '--wide'], {
      input: `${JSON.stringify(trace)}\n`,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('RT-K8S-22');
    expect(actingBytes(run.stdout)).toEqual([]);
    expect(run.stdout).toContain('\\x1b]0;pwned');
  });

  it('an error message quoting a hostile path is one line with the characters escaped', async () => {
    const run = await cli(['k8s', 'scan', join(dir, `missing${HOSTILE}.yaml`)]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(actingBytes(run.stderr)).toEqual([]);
  });
});
