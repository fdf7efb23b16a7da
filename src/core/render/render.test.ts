import { describe, expect, it } from 'vitest';
import { envelope } from '../envelope.js';
import { renderJunit } from './junit.js';
import { type Report, renderReport } from './report.js';
import { toSarif } from './sarif.js';
import { renderTable } from './table.js';

describe('table', () => {
  it('aligns columns, heads sections and prints a footer', () => {
    const text = renderTable({
      columns: [
        { key: 'id', header: 'ID' },
        { key: 'severity', header: 'SEVERITY' },
        { key: 'n', header: 'N', align: 'right' },
      ],
      sections: [
        { title: 'openssl', rows: [{ id: 'CVE-2023-0286', severity: 'HIGH', n: 3 }] },
        { title: 'zlib', rows: [{ id: 'CVE-2022-37434', severity: 'CRITICAL', n: 12 }] },
      ],
      footer: ['Total: 2'],
    });
    expect(text).toBe(
      [
        'openssl',
        'ID              SEVERITY   N',
        '──────────────  ────────  ──',
        'CVE-2023-0286   HIGH       3',
        '',
        'zlib',
        'ID              SEVERITY   N',
        '──────────────  ────────  ──',
        'CVE-2022-37434  CRITICAL  12',
        '',
        'Total: 2',
        '',
      ].join('\n'),
    );
  });
  it('cuts long cells and says when there is nothing', () => {
    const cut = renderTable({
      columns: [{ key: 'a', header: 'A', maxWidth: 5 }],
      sections: [{ rows: [{ a: 'abcdefgh' }] }],
    });
    expect(cut).toContain('abcd…');
    expect(renderTable({ columns: [{ key: 'a', header: 'A' }], sections: [{ rows: [] }] })).toContain(
      '(nothing to show)',
    );
  });
  it('colours severities only when asked', () => {
    const spec = { columns: [{ key: 's', header: 'S' }], sections: [{ rows: [{ s: 'CRITICAL' }] }] };
    expect(renderTable(spec, { color: false })).not.toContain('\u001b[');
    expect(renderTable(spec, { color: true })).toContain('\u001b[');
  });
});

describe('junit', () => {
  it('counts failures and skips and escapes XML', () => {
    const xml = renderJunit('bench', [
      {
        name: '5 Container Runtime',
        cases: [
          { name: '5.5 privileged <x> & "y"', classname: 'cis', failure: { message: 'web: privileged' } },
          { name: '5.9', classname: 'cis', skipped: 'manual' },
          { name: '5.10', classname: 'cis' },
        ],
      },
    ]);
    expect(xml).toContain('<testsuites name="bench" tests="3" failures="1" errors="0" skipped="1">');
    expect(xml).toContain('name="5.5 privileged &lt;x&gt; &amp; &quot;y&quot;"');
    expect(xml).toContain('<skipped message="manual"/>');
    expect(xml).toContain('<testcase name="5.10" classname="cis" time="0"/>');
  });
});

describe('sarif', () => {
  it('builds a 2.1.0 log with rules, levels and security-severity', () => {
    const log = toSarif({
      rules: [{ id: 'CVE-1', shortDescription: 'bad', severity: 'CRITICAL' }],
      results: [
        {
          ruleId: 'CVE-1',
          message: 'openssl 1.0 is affected',
          severity: 'CRITICAL',
          locations: [{ uri: 'Dockerfile', startLine: 3 }],
          fingerprint: 'abc',
        },
      ],
    }) as {
      version: string;
      runs: { tool: { driver: { rules: unknown[] } }; results: Record<string, unknown>[] }[];
    };
    expect(log.version).toBe('2.1.0');
    const run = log.runs[0]!;
    expect(run.tool.driver.rules[0]).toMatchObject({ properties: { 'security-severity': '9.5' } });
    expect(run.results[0]).toMatchObject({
      ruleIndex: 0,
      level: 'error',
      locations: [
        { physicalLocation: { artifactLocation: { uri: 'Dockerfile' }, region: { startLine: 3 } } },
      ],
      partialFingerprints: { bulkheadResult: 'abc' },
    });
  });
});

describe('renderReport', () => {
  const report: Report = {
    document: envelope('Thing', { n: 1 }, new Date('2026-01-01T00:00:00Z')),
    table: () => ({ columns: [{ key: 'n', header: 'N' }], sections: [{ rows: [{ n: 1 }] }] }),
  };
  it('renders the enveloped document as JSON', () => {
    expect(JSON.parse(renderReport(report, 'json', { color: false }))).toEqual({
      schemaVersion: 1,
      kind: 'Thing',
      generatedAt: '2026-01-01T00:00:00.000Z',
      tool: { name: 'bulkhead', version: expect.any(String) },
      n: 1,
    });
  });
  it('refuses a format the report does not offer, listing the ones it does', () => {
    expect(() => renderReport(report, 'sarif', { color: false })).toThrow(
      '--format: "sarif" is not available here (use table, json)',
    );
  });
});
