import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAdmissionDecisions, saveAdmissionDecisions } from '../store/admission-decisions.js';
import type { Store } from '../store/index.js';
import { freshDatabase, type TestDatabase } from '../store/test-support/dialects.js';
import { webhookCertificates } from '../tls/certificates.js';
import { loadAdmissionPolicy } from './policy-load.js';
import { DecisionRecorder } from './recorder.js';
import { type RunningServer, startAdmissionServer } from './server.js';
import { httpsRequest, pod, privilegedPod, reviewBody } from './test-support.js';

describe('admission serve over HTTPS', () => {
  let dir: string;
  let server: RunningServer;
  let ca: string;
  let database: TestDatabase;
  let store: Store;
  let recorder: DecisionRecorder;
  const errors: Error[] = [];
  const policy = loadAdmissionPolicy(undefined);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bulkhead-admission-'));
    const certs = webhookCertificates(['localhost'], { ipAddresses: ['127.0.0.1'] });
    ca = certs.caCert;
    writeFileSync(join(dir, 'tls.crt'), certs.cert);
    writeFileSync(join(dir, 'tls.key'), certs.key);
    database = await freshDatabase('sqlite');
    store = await database.open();
    recorder = new DecisionRecorder({
      write: (batch) => saveAdmissionDecisions(store.db, batch),
      intervalMs: 50,
    });
    server = await startAdmissionServer({
      policy,
      port: 0,
      tlsCert: join(dir, 'tls.crt'),
      tlsKey: join(dir, 'tls.key'),
      tlsPollMs: 100,
      onDecision: (d) => recorder.record(d),
      onError: (e) => errors.push(e),
    });
  });
  afterAll(async () => {
    await server?.close();
    await recorder?.close();
    await store?.close();
    await database?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const validate = (body: string | Uint8Array, headers?: Record<string, string>) =>
    httpsRequest(`${server.url}/validate`, ca, body, headers);

  it('answers AdmissionReviews and records every decision but dry runs, off the request path', async () => {
    const denied = await validate(reviewBody({ uid: 'd-1', object: privilegedPod() }));
    expect(denied.status).toBe(200);
    expect(denied.json()).toMatchObject({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      response: { uid: 'd-1', allowed: false, status: { code: 403 } },
    });
    const allowed = await validate(
      reviewBody({ uid: 'a-1', apiVersion: 'admission.k8s.io/v1beta1', object: pod('ok') }),
    );
    expect(allowed.json()).toEqual({
      apiVersion: 'admission.k8s.io/v1beta1',
      kind: 'AdmissionReview',
      response: { uid: 'a-1', allowed: true },
    });
    await validate(reviewBody({ uid: 'dry-1', dryRun: true, object: privilegedPod() }));
    await recorder.flush();
    const stored = await listAdmissionDecisions(store.db);
    expect(stored.map((d) => [d.uid, d.action]).sort()).toEqual([
      ['a-1', 'allow'],
      ['d-1', 'deny'],
    ]);
    expect(stored.find((d) => d.uid === 'd-1')?.violations[0]?.control).toBe('K8S-POD-01');
  });

  it('refuses malformed and non-AdmissionReview bodies with a clear 400/413 and keeps serving', async () => {
    const good = reviewBody({ object: pod('ok') });
    const depth = 100_000;
    const deep = `{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"n","operation":"CREATE","object":${'{"x":'.repeat(depth)}{}${'}'.repeat(depth)}}}`;
    const cases: [string, string | Uint8Array, number, RegExp][] = [
      ['truncated JSON', good.slice(0, good.length / 2), 400, /not valid JSON/],
      ['wrong kind', JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: {} }), 400, /kind is "Pod"/],
      ['missing request', '{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"}', 400, /no request/],
      ['10 MB body', `{"pad":"${'a'.repeat(10 * 1024 * 1024)}"}`, 413, /larger than the limit/],
      ['deeply nested object', deep, 400, /nested deeper/],
      [
        'invalid UTF-8',
        Buffer.concat([Buffer.from(good.slice(0, 40)), Buffer.from([0xc3, 0x28, 0xff])]),
        400,
        /UTF-8/,
      ],
      ['empty body', '', 400, /empty/i],
    ];
    for (const [name, body, status, message] of cases) {
      const res = await validate(body);
      expect([name, res.status]).toEqual([name, status]);
      expect((res.json() as { message: string }).message).toMatch(message);
      // still serving after each one
      expect((await validate(good)).status).toBe(200);
    }
    const wrongType = await validate(good, { 'content-type': 'application/x-yaml' });
    expect(wrongType.status).toBe(415);
    expect(errors).toEqual([]);
  });

  it('serves probes and Prometheus metrics with decisions by action and control and a latency histogram', async () => {
    expect((await httpsRequest(`${server.url}/healthz`, ca)).status).toBe(200);
    expect((await httpsRequest(`${server.url}/readyz`, ca)).status).toBe(200);
    const metrics = (await httpsRequest(`${server.url}/metrics`, ca)).text;
    expect(metrics).toMatch(/^bulkhead_admission_decisions_total\{action="deny"\} [1-9]/m);
    expect(metrics).toMatch(
      /^bulkhead_admission_violations_total\{control="K8S-POD-01",action="deny"\} [1-9]/m,
    );
    expect(metrics).toMatch(/^bulkhead_admission_rejected_requests_total\{reason="too-large"\} 1$/m);
    expect(metrics).toMatch(/^bulkhead_admission_request_duration_seconds_bucket\{le="\+Inf"\} [1-9]/m);
  });

  it('answers by the failure policy when a check throws, and keeps serving', async () => {
    policy.extraChecks = () => {
      throw new Error('check exploded');
    };
    try {
      const res = await validate(reviewBody({ uid: 'boom', object: pod('ok') }));
      expect(res.json()).toMatchObject({
        response: { uid: 'boom', allowed: true, warnings: [expect.stringMatching(/exploded/)] },
      });
      expect(errors.map((e) => e.message)).toEqual(['check exploded']);
    } finally {
      delete policy.extraChecks;
    }
    expect((await validate(reviewBody({ object: pod('ok') }))).status).toBe(200);
  });

  it('answers 408 to a request that trickles in slower than the timeout, and keeps serving', async () => {
    const { connect } = await import('node:tls');
    const slow = await startAdmissionServer({
      policy,
      port: 0,
      tlsCert: join(dir, 'tls.crt'),
      tlsKey: join(dir, 'tls.key'),
      tlsPollMs: 0,
      timeoutMs: 300,
    });
    try {
      const outcome = await new Promise<string>((resolve) => {
        const socket = connect({ host: '127.0.0.1', port: slow.port, ca, servername: 'localhost' }, () => {
          socket.write(
            'POST /validate HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"kind"',
          );
        });
        let data = '';
        socket.on('data', (d: Buffer) => {
          data += d.toString();
        });
        // one byte every 50 ms: never idle, never complete
        const trickle = setInterval(() => socket.write(' '), 50);
        socket.on('close', () => {
          clearInterval(trickle);
          resolve(`closed ${data.split('\r\n')[0] ?? ''}`);
        });
        socket.on('error', () => undefined);
        setTimeout(() => resolve('still open'), 5000).unref();
      });
      expect(outcome).toBe('closed HTTP/1.1 408 Request Timeout');
      expect((await httpsRequest(`${slow.url}/healthz`, ca)).status).toBe(200);
    } finally {
      await slow.close();
    }
  });

  it('reloads the certificate when its files change', async () => {
    const next = webhookCertificates(['localhost'], { ipAddresses: ['127.0.0.1'] });
    const before = server.metrics.tlsReloads;
    writeFileSync(join(dir, 'tls.key'), next.key);
    writeFileSync(join(dir, 'tls.crt'), next.cert);
    for (let i = 0; i < 100 && server.metrics.tlsReloads < before + 2; i++)
      await new Promise((r) => setTimeout(r, 50));
    const fresh = await httpsRequest(`${server.url}/healthz`, next.caCert);
    expect(fresh.status).toBe(200);
    await expect(httpsRequest(`${server.url}/healthz`, ca)).rejects.toThrow(/certificate/);
  });
});
