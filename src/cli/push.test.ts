import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ExternalServiceError, UserInputError } from '../core/errors.js';
import { fetchVerdict, pushDocument, pushTargetOf } from './push.js';
import { runCli } from './run.js';

interface Received {
  method: string;
  url: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: string;
}

/** A real HTTP server on 127.0.0.1 standing in for the center's POST /api/v1/reports. */
let server: Server;
let base: string;
const received: Received[] = [];
let answer: (r: Received) => { status: number; body: unknown } = (r) => ({
  status: 201,
  body: { id: `r-${received.length}`, kind: JSON.parse(r.body).kind, resources: 1 },
});
const dir = mkdtempSync(join(tmpdir(), 'bulkhead-push-'));

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const r: Received = {
      method: req.method ?? '',
      url: req.url ?? '',
      authorization: req.headers.authorization,
      contentType: req.headers['content-type'],
      body: await read(req),
    };
    received.push(r);
    const { status, body } = answer(r);
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  received.length = 0;
  delete process.env.BULKHEAD_TOKEN;
});

describe('pushTargetOf', () => {
  it('takes the token from BULKHEAD_TOKEN or the first line of --token-file, never from a flag', () => {
    expect(pushTargetOf({})).toBeUndefined();
    expect(pushTargetOf({ push: `${base}/` }, { BULKHEAD_TOKEN: ' t-env \n' })).toEqual({
      url: `${base}/`,
      endpoint: `${base}/api/v1/reports`,
      api: `${base}/api/v1`,
      token: 't-env',
    });
    const file = join(dir, 'token');
    writeFileSync(file, '  t-file  \nsecond line\n');
    expect(pushTargetOf({ push: base, tokenFile: file }, { BULKHEAD_TOKEN: 't-env' })?.token).toBe('t-file');
    expect(pushTargetOf({ push: base, tokenFile: file })?.endpoint).toBe(`${base}/api/v1/reports`);
  });

  it('refuses a missing token, naming --push, and a URL that is not http(s)', () => {
    expect(() => pushTargetOf({ push: base }, {})).toThrow(UserInputError);
    expect(() => pushTargetOf({ push: base }, {})).toThrow(/^--push: .*BULKHEAD_TOKEN/);
    expect(() => pushTargetOf({ push: 'ftp://x' }, { BULKHEAD_TOKEN: 't' })).toThrow(/^--push: /);
    expect(() => pushTargetOf({ tokenFile: 'x' }, {})).toThrow(/^--token-file: /);
  });
});

describe('pushDocument against a real HTTP server', () => {
  const target = () => ({
    url: base,
    endpoint: `${base}/api/v1/reports`,
    api: `${base}/api/v1`,
    token: 'secret-1',
  });
  const doc = { schemaVersion: 1, kind: 'ImageScan', target: 'x', list: [1, 2, 3] };

  it('POSTs the exact document as JSON with the bearer token and returns the receipt', async () => {
    const receipt = await pushDocument(target(), doc);
    expect(receipt).toEqual({ id: 'r-1', kind: 'ImageScan', resources: 1 });
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      method: 'POST',
      url: '/api/v1/reports',
      authorization: 'Bearer secret-1',
      contentType: 'application/json',
    });
    expect(JSON.parse(received[0]!.body)).toEqual(doc);
  });

  it("names the URL and the center's error code and message on a non-2xx answer", async () => {
    const saved = answer;
    answer = () => ({
      status: 401,
      body: { error: { code: 'BULKHEAD_ERR_TOKEN_INVALID', message: 'the token is not valid' } },
    });
    try {
      const error = await pushDocument(target(), doc).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ExternalServiceError);
      expect((error as Error).message).toBe(
        `${base}: push refused: HTTP 401 BULKHEAD_ERR_TOKEN_INVALID: the token is not valid`,
      );
    } finally {
      answer = saved;
    }
  });

  it('says the connection was refused when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const url = `http://127.0.0.1:${port}`;
    const error = await pushDocument(
      { url, endpoint: `${url}/api/v1/reports`, api: `${url}/api/v1`, token: 't' },
      doc,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExternalServiceError);
    expect((error as Error).message).toBe(`${url}: cannot push: connection refused`);
  });
});

describe('k8s scan --push', () => {
  const manifests = join(dir, 'manifests.yaml');
  const io = () => {
    const err: string[] = [];
    return { err, io: { writeOut: () => {}, writeErr: (t: string) => void err.push(t) } };
  };

  beforeAll(() => {
    writeFileSync(
      manifests,
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    spec:
      containers: [{name: app, image: nginx:1.27, securityContext: {privileged: true}}]
`,
    );
  });

  it('sends ClusterInventory, then the KubernetesScan it printed with its passing rows, and exits as without --push', async () => {
    process.env.BULKHEAD_TOKEN = 'tok-k8s';
    const out = join(dir, 'scan.json');
    const { io: writers, err } = io();
    const code = await runCli(
      [
        'k8s',
        'scan',
        manifests,
        '--cluster-name',
        'shop-prod',
        '--no-store',
        '--quiet',
        '--format',
        'json',
      ].concat(['--output', out, '--push', base, '--exit-code']),
      writers,
    );
    expect(err.join('')).toBe('');
    expect(code).toBe(1);
    expect(received.map((r) => JSON.parse(r.body).kind)).toEqual(['ClusterInventory', 'KubernetesScan']);
    expect(received.every((r) => r.authorization === 'Bearer tok-k8s')).toBe(true);
    // what the center gets is what was printed plus the passing rows (the center counts healthy resources)
    const printed = JSON.parse(readFileSync(out, 'utf8'));
    const pushed = JSON.parse(received[1]!.body);
    expect(pushed.results.filter((r: { status: string }) => r.status !== 'pass')).toEqual(printed.results);
    expect(pushed.results.some((r: { status: string }) => r.status === 'pass')).toBe(true);
    expect({ ...pushed, results: [] }).toEqual({ ...printed, results: [] });
    const inventory = JSON.parse(received[0]!.body);
    expect(inventory).toMatchObject({
      engine: 'k8s-scan',
      origin: { cluster: 'shop-prod' },
      complete: false,
    });
    expect(inventory.workloads).toEqual([
      { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web', images: ['nginx:1.27'] },
    ]);
  });

  it('refuses --push of files without --cluster-name, and without a token, before scanning', async () => {
    const first = io();
    expect(await runCli(['k8s', 'scan', manifests, '--no-store', '--push', base], first.io)).toBe(2);
    expect(first.err.join('')).toMatch(/--push|BULKHEAD_TOKEN/);
    process.env.BULKHEAD_TOKEN = 't';
    const second = io();
    expect(await runCli(['k8s', 'scan', manifests, '--no-store', '--push', base], second.io)).toBe(2);
    expect(second.err.join('')).toMatch(/^bulkhead: --cluster-name: /);
    const third = io();
    expect(
      await runCli(['runtime', 'detect', '--source', 'k8s-audit', manifests, '--push', base], third.io),
    ).toBe(2);
    expect(third.err.join('')).toMatch(/^bulkhead: --host-name: /);
    expect(received).toEqual([]);
  });

  it('exits 2 with one line naming the URL when the center refuses', async () => {
    process.env.BULKHEAD_TOKEN = 't';
    const saved = answer;
    answer = () => ({
      status: 403,
      body: { error: { code: 'BULKHEAD_ERR_FORBIDDEN', message: 'agents only' } },
    });
    try {
      const { io: writers, err } = io();
      const code = await runCli(
        [
          'k8s',
          'scan',
          manifests,
          '--cluster-name',
          'c',
          '--no-store',
          '--output',
          join(dir, 'x.json'),
        ].concat(['--push', base]),
        writers,
      );
      expect(code).toBe(2);
      expect(err.join('')).toBe(
        `bulkhead: ${base}: push refused: HTTP 403 BULKHEAD_ERR_FORBIDDEN: agents only\n`,
      );
    } finally {
      answer = saved;
    }
  });
});

describe('fetchVerdict against a real HTTP server', () => {
  it("asks the image's verdict at a severity with the push token", async () => {
    const saved = answer;
    answer = () => ({
      status: 200,
      body: { digest: 'sha256:ab', verdict: 'pass', severity: 'LOW', open: {}, excepted: 2 },
    });
    try {
      const target = pushTargetOf({ push: `${base}/` }, { BULKHEAD_TOKEN: 'secret-2' })!;
      const verdict = await fetchVerdict(target, 'sha256:ab', 'LOW');
      expect(verdict).toMatchObject({ verdict: 'pass', excepted: 2 });
      expect(received[0]).toMatchObject({
        method: 'GET',
        url: '/api/v1/images/sha256%3Aab/verdict?severity=LOW',
        authorization: 'Bearer secret-2',
      });
    } finally {
      answer = saved;
    }
  });

  it("names the URL and the center's refusal", async () => {
    const saved = answer;
    answer = () => ({ status: 403, body: { error: { code: 'BULKHEAD_ERR_FORBIDDEN', message: 'no' } } });
    try {
      const target = pushTargetOf({ push: base }, { BULKHEAD_TOKEN: 't' })!;
      const error = await fetchVerdict(target, 'sha256:ab', 'HIGH').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ExternalServiceError);
      expect((error as Error).message).toBe(
        `${base}: ask the verdict: refused: HTTP 403 BULKHEAD_ERR_FORBIDDEN: no`,
      );
    } finally {
      answer = saved;
    }
  });
});
