import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableRows } from '../center/test-support/center.js';
import { dockerBenchmark, imageScan, kubernetesScan } from '../center/test-support/documents.js';
import { DIALECTS, startTestApp, type TestApp } from '../serve/test-support.js';

// Bad input, over HTTP on a real store that already holds one report: each answer is a 4xx with the one error
// shape and a one-line message, and nothing stored changes — not a row of the center tables, not the audit log.

const REPORT_LIMIT = 64 * 1024;

interface Case {
  name: string;
  method?: 'GET' | 'POST';
  url: string;
  /** A string goes as it is (with `contentType`); anything else as JSON. */
  payload?: unknown;
  contentType?: string;
  role?: 'agent' | 'viewer';
  status: number;
  code: string;
  /** What the message must say (the field or value at fault). */
  message?: RegExp;
}

const noScope = (() => {
  const { origin: _origin, ...rest } = dockerBenchmark([{ id: 'a'.repeat(64), name: 'web' }], []);
  return { ...rest, host: {} };
})();
const { origin: _cluster, ...noCluster } = kubernetesScan();
const badSeverity = imageScan([{ id: 'CVE-2026-0001' }]);
(badSeverity.vulnerabilities[0] as { severity: string }).severity = 'SEVERE';
// big enough to pass the general body limit but not the report one
const tooLarge = imageScan(Array.from({ length: 400 }, (_, i) => ({ id: `CVE-2026-${10_000 + i}` })));

const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

const CASES: Case[] = [
  {
    name: 'a report of no known kind',
    url: '/api/v1/reports',
    payload: { schemaVersion: 1, kind: 'Nonsense', results: [] },
    status: 400,
    code: 'BULKHEAD_ERR_REPORT_KIND_UNKNOWN',
    message: /"Nonsense"/,
  },
  {
    name: 'a report with no kind',
    url: '/api/v1/reports',
    payload: { schemaVersion: 1, results: [] },
    status: 400,
    code: 'BULKHEAD_ERR_VALIDATION',
    message: /^body\.kind: /,
  },
  {
    name: 'a report that is not an object',
    url: '/api/v1/reports',
    payload: [1, 2, 3],
    status: 400,
    code: 'BULKHEAD_ERR_VALIDATION',
  },
  {
    name: 'malformed JSON',
    url: '/api/v1/reports',
    payload: '{"schemaVersion": 1, "kind": "ImageScan",',
    contentType: 'application/json',
    status: 400,
    code: 'BULKHEAD_ERR_BODY_MALFORMED',
  },
  {
    name: 'an empty body',
    url: '/api/v1/reports',
    payload: '',
    contentType: 'application/json',
    status: 400,
    code: 'BULKHEAD_ERR_BODY_MALFORMED',
  },
  {
    name: 'a body that is not JSON',
    url: '/api/v1/reports',
    payload: 'kind: ImageScan',
    contentType: 'text/yaml',
    status: 415,
    code: 'BULKHEAD_ERR_MEDIA_TYPE',
  },
  {
    name: 'a report over the limit',
    url: '/api/v1/reports',
    payload: tooLarge,
    status: 413,
    code: 'BULKHEAD_ERR_BODY_TOO_LARGE',
  },
  {
    name: 'a small report nested thousands of levels deep',
    url: '/api/v1/reports',
    payload: `${JSON.stringify(imageScan([])).slice(0, -1)},"extra":${'['.repeat(20_000)}${']'.repeat(20_000)}}`,
    contentType: 'application/json',
    status: 400,
    code: 'BULKHEAD_ERR_VALIDATION',
    message: /^body\.extra\[0\]\[0\].*: nests deeper than 64 levels$/,
  },
  {
    name: 'a report with a NUL character in a field',
    url: '/api/v1/reports',
    payload: imageScan([{ id: 'CVE-2026-0003\u0000' }]),
    status: 400,
    code: 'BULKHEAD_ERR_VALIDATION',
    message: /^body\.vulnerabilities\[0\]\.id: contains a NUL character/,
  },
  {
    name: 'a resource key with a NUL character',
    method: 'GET',
    url: '/api/v1/resources/host%3A%00',
    role: 'viewer',
    status: 400,
    code: 'BULKHEAD_ERR_VALIDATION',
    message: /^params\.key: contains a NUL character/,
  },
  {
    name: 'a filter with a NUL character',
    method: 'GET',
    url: '/api/v1/findings?resource=host%3A%00',
    role: 'viewer',
    status: 400,
    code: 'BULKHEAD_ERR_VALIDATION',
    message: /^querystring\.resource: contains a NUL character/,
  },
  {
    name: 'a search with a NUL character',
    method: 'GET',
    url: '/api/v1/resources?search=%00',
    role: 'viewer',
    status: 400,
    code: 'BULKHEAD_ERR_VALIDATION',
    message: /^querystring\.search: /,
  },
  {
    name: 'a known kind with an invalid field',
    url: '/api/v1/reports',
    payload: badSeverity,
    status: 400,
    code: 'BULKHEAD_ERR_REPORT_INVALID',
    message: /vulnerabilities\[0\]\.severity/,
  },
  {
    name: 'a schema version the center does not know',
    url: '/api/v1/reports',
    payload: { ...imageScan([]), schemaVersion: 2 },
    status: 400,
    code: 'BULKHEAD_ERR_REPORT_INVALID',
    message: /schemaVersion/,
  },
  {
    name: 'a benchmark that names no host',
    url: '/api/v1/reports',
    payload: noScope,
    status: 400,
    code: 'BULKHEAD_ERR_REPORT_INVALID',
    message: /origin\.host/,
  },
  {
    name: 'a Kubernetes scan that names no cluster',
    url: '/api/v1/reports',
    payload: noCluster,
    status: 400,
    code: 'BULKHEAD_ERR_REPORT_INVALID',
    message: /origin\.cluster/,
  },
  {
    name: 'an unknown resource key',
    method: 'GET',
    url: `/api/v1/resources/${encodeURIComponent(`image:sha256:${'f'.repeat(64)}`)}`,
    role: 'viewer',
    status: 404,
    code: 'BULKHEAD_ERR_RESOURCE_NOT_FOUND',
  },
  {
    name: 'a hostile resource key',
    method: 'GET',
    url: '/api/v1/resources/..%2F..%2Fetc',
    role: 'viewer',
    status: 404,
    code: 'BULKHEAD_ERR_RESOURCE_NOT_FOUND',
  },
  {
    name: 'a resource key with a line break',
    method: 'GET',
    url: '/api/v1/resources/host%3Aa%0D%0Aforged%3A%20line',
    role: 'viewer',
    status: 404,
    code: 'BULKHEAD_ERR_RESOURCE_NOT_FOUND',
    message: /"host:a\\r\\nforged: line"/,
  },
  {
    name: 'a kind with a line break',
    url: '/api/v1/reports',
    payload: { schemaVersion: 1, kind: 'Image\nScan\u0007' },
    status: 400,
    code: 'BULKHEAD_ERR_REPORT_KIND_UNKNOWN',
    message: /"Image\\nScan\\u0007"/,
  },
  {
    name: 'a hostile resource key, not encoded',
    method: 'GET',
    url: '/api/v1/resources/../../etc/passwd',
    role: 'viewer',
    status: 404,
    code: 'BULKHEAD_ERR_NOT_FOUND',
  },
  {
    name: 'an unknown report',
    method: 'GET',
    url: '/api/v1/reports/424242',
    role: 'viewer',
    status: 404,
    code: 'BULKHEAD_ERR_REPORT_NOT_FOUND',
  },
  {
    name: 'the document of an unknown report',
    method: 'GET',
    url: '/api/v1/reports/424242/document',
    role: 'viewer',
    status: 404,
    code: 'BULKHEAD_ERR_REPORT_NOT_FOUND',
  },
  {
    name: 'a huge limit',
    method: 'GET',
    url: '/api/v1/findings?limit=100000000',
    role: 'viewer',
    status: 400,
    code: 'BULKHEAD_ERR_VALIDATION',
    message: /^querystring\.limit: /,
  },
  {
    name: 'a limit that is not a number',
    method: 'GET',
    url: '/api/v1/resources?limit=1e999',
    role: 'viewer',
    status: 400,
    code: 'BULKHEAD_ERR_VALIDATION',
    message: /^querystring\.limit: /,
  },
  {
    name: 'a cursor that is not base64 JSON',
    method: 'GET',
    url: '/api/v1/findings?cursor=%25%25garbage',
    role: 'viewer',
    status: 400,
    code: 'BULKHEAD_ERR_CURSOR_INVALID',
  },
  {
    name: 'a well-formed cursor of another shape',
    method: 'GET',
    url: `/api/v1/findings?cursor=${cursorOf({ k: ['x'], id: 'not a number' })}`,
    role: 'viewer',
    status: 400,
    code: 'BULKHEAD_ERR_CURSOR_INVALID',
  },
  {
    name: 'a sort the list does not offer',
    method: 'GET',
    url: '/api/v1/findings?sort=password',
    role: 'viewer',
    status: 400,
    code: 'BULKHEAD_ERR_VALIDATION',
  },
];

describe.each(DIALECTS)('bad input on %s', (dialect) => {
  let t: TestApp;
  let agent: { authorization: string };
  let viewer: { authorization: string };
  let before: Record<string, string[]>;

  beforeAll(async () => {
    t = await startTestApp(dialect, { reportBodyLimit: REPORT_LIMIT });
    agent = await t.auth('agent');
    viewer = await t.auth('viewer');
    const valid = await t.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      headers: agent,
      payload: imageScan([{ id: 'CVE-2026-0001' }, { id: 'CVE-2026-0002', pkg: 'zlib' }]),
    });
    expect(valid.statusCode).toBe(202);
    expect(JSON.stringify(tooLarge).length).toBeGreaterThan(REPORT_LIMIT);
    before = await tableRows(t.store);
    expect(before.center_reports).toHaveLength(1);
    expect(before.center_findings).toHaveLength(2);
  });
  afterAll(async () => t?.close());

  it.each(CASES)('answers $name with $status and a one-line error', async (c) => {
    const headers: Record<string, string> = { ...(c.role === 'viewer' ? viewer : agent) };
    if (c.contentType) headers['content-type'] = c.contentType;
    const res = await t.app.inject({
      method: c.method ?? 'POST',
      url: c.url,
      headers,
      ...(c.payload === undefined ? {} : { payload: c.payload as string | object }),
    });
    expect(res.statusCode, res.body).toBe(c.status);
    const body = res.json();
    expect(Object.keys(body)).toEqual(['error']);
    expect(Object.keys(body.error).sort()).toEqual(['code', 'message']);
    expect(body.error.code).toBe(c.code);
    const message: string = body.error.message;
    expect(message.length).toBeGreaterThan(0);
    expect(message.length).toBeLessThanOrEqual(300);
    expect(message).not.toMatch(/[\r\n]/);
    expect(message).not.toMatch(/\bat .*:\d+:\d+|node_modules|\.ts\b|\.js\b/);
    if (c.message) expect(message).toMatch(c.message);
    expect(await tableRows(t.store)).toEqual(before);
  });

  it('logs none of it as a server error, and still serves what it stored', async () => {
    const errors = t.logs.map((l) => JSON.parse(l)).filter((l) => l.level >= 50);
    expect(errors).toEqual([]);
    const findings = await t.app.inject({ url: '/api/v1/findings?limit=500', headers: viewer });
    expect(findings.json().total).toBe(2);
    expect(await tableRows(t.store)).toEqual(before);
  });
});
