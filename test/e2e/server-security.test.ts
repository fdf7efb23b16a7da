import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAdmissionPolicy, parseAdmissionPolicy } from '../../src/admission/policy-load.js';
import { startAdmissionServer } from '../../src/admission/server.js';
import { reviewBody } from '../../src/admission/test-support.js';
import { ServeConfig } from '../../src/center/config.js';
import { buildAuditWebhook } from '../../src/runtime/live/webhook.js';
import { boot } from '../../src/serve/boot.js';
import { webhookCertificates } from '../../src/tls/certificates.js';
import { runBuiltCli } from './cli-support.js';

/** What a TLS client offering only `ciphers` (and at most `maxVersion`) gets from the server at `port`. */
function handshake(
  port: number,
  ca: string,
  offer: { ciphers?: string; maxVersion?: 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3'; minVersion?: 'TLSv1' },
): Promise<{ ok: true; protocol: string | null; cipher: string } | { ok: false; error: string }> {
  return new Promise((resolve) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, ca, servername: 'localhost', ...offer }, () => {
      const result = { ok: true as const, protocol: socket.getProtocol(), cipher: socket.getCipher().name };
      socket.end();
      resolve(result);
    });
    socket.on('error', (error) => resolve({ ok: false, error: error.message }));
  });
}

/** Milliseconds until the server closes a connection that sent half a request head and then nothing. */
function slowHeaderClosedAfter(port: number, giveUpMs: number): Promise<number> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = netConnect({ host: '127.0.0.1', port }, () => {
      socket.write('POST /k8s-audit HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    });
    const done = () => {
      clearTimeout(timer);
      resolve(Date.now() - started);
    };
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(Number.POSITIVE_INFINITY);
    }, giveUpMs);
    socket.on('close', done);
    socket.on('error', () => undefined);
    socket.resume();
  });
}

describe('servers Bulkhead runs: one TLS profile, one TLS decision, time limits', () => {
  let dir: string;
  let ca: string;
  const ports: Record<string, number> = {};
  const stops: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bulkhead-server-security-'));
    const certs = webhookCertificates(['localhost'], { ipAddresses: ['127.0.0.1'] });
    ca = certs.caCert;
    writeFileSync(join(dir, 'tls.crt'), certs.cert);
    writeFileSync(join(dir, 'tls.key'), certs.key, { mode: 0o600 });
    writeFileSync(join(dir, 'token'), 'audit-token-for-tests');

    const admission = await startAdmissionServer({
      policy: loadAdmissionPolicy(undefined),
      port: 0,
      tlsCert: join(dir, 'tls.crt'),
      tlsKey: join(dir, 'tls.key'),
      tlsPollMs: 0,
    });
    stops.push(() => admission.close());
    ports.admission = admission.port;

    const receiver = await buildAuditWebhook(() => undefined, {
      token: 'audit-token-for-tests',
      tlsCert: join(dir, 'tls.crt'),
      tlsKey: join(dir, 'tls.key'),
    });
    await receiver.listen({ port: 0, host: '127.0.0.1' });
    stops.push(() => receiver.close());
    ports.runtime = (receiver.server.address() as { port: number }).port;

    const center = await boot({
      home: dir,
      config: ServeConfig.parse({
        port: 0,
        database: `sqlite:${join(dir, 'center.db')}`,
        tlsCert: join(dir, 'tls.crt'),
        tlsKey: join(dir, 'tls.key'),
      }),
    });
    stops.push(() => center.close());
    ports.center = Number(new URL(center.url).port);
  });

  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const server of ['admission', 'runtime', 'center'] as const) {
    it(`${server}: TLS 1.3 by default; TLS 1.2 only with forward-secret AEAD suites`, async () => {
      const modern = await handshake(ports[server]!, ca, {});
      expect(modern).toMatchObject({ ok: true, protocol: 'TLSv1.3' });
      const tls12 = await handshake(ports[server]!, ca, { maxVersion: 'TLSv1.2' });
      expect(tls12).toMatchObject({ ok: true, protocol: 'TLSv1.2' });
      expect((tls12 as { cipher: string }).cipher).toMatch(/^ECDHE-(RSA|ECDSA)-(AES\d+-GCM|CHACHA20)/);
      // a client that offers only static-RSA key exchange, or only CBC with SHA-1, or at most TLS 1.1, fails
      for (const offer of [
        { maxVersion: 'TLSv1.2' as const, ciphers: 'AES128-GCM-SHA256:AES256-GCM-SHA384:AES128-SHA256' },
        { maxVersion: 'TLSv1.2' as const, ciphers: 'ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-SHA:AES128-SHA' },
        { maxVersion: 'TLSv1.1' as const, minVersion: 'TLSv1' as const, ciphers: 'DEFAULT:@SECLEVEL=0' },
      ])
        expect(await handshake(ports[server]!, ca, offer)).toMatchObject({ ok: false });
    });
  }

  it('the webhook decides a catastrophic-backtracking regex on a hostile annotation in milliseconds, /healthz answering meanwhile', async () => {
    const policy = parseAdmissionPolicy(
      `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: note-words.example.com}
spec:
  matchConstraints:
    resourceRules:
    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}
  validations:
  - expression: "!has(object.metadata.annotations) || !('note' in object.metadata.annotations) || object.metadata.annotations['note'].matches('^([a-z]+ ?)+$')"
    message: the note must be words
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: note-words-binding}
spec:
  policyName: note-words.example.com
  validationActions: [Deny]
`,
      'policy.yaml',
    );
    const webhook = await startAdmissionServer({
      policy,
      port: 0,
      tlsCert: join(dir, 'tls.crt'),
      tlsKey: join(dir, 'tls.key'),
      tlsPollMs: 0,
    });
    try {
      const { Agent, request } = await import('undici');
      const dispatcher = new Agent({ connect: { ca, servername: 'localhost' } });
      const pod = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'web', namespace: 'apps', annotations: { note: `${'a'.repeat(50_000)}!` } },
        spec: { containers: [{ name: 'c', image: 'nginx' }] },
      };
      const started = Date.now();
      const [review, health] = await Promise.all([
        request(`${webhook.url}/validate`, {
          method: 'POST',
          dispatcher,
          headers: { 'content-type': 'application/json' },
          body: reviewBody({ object: pod }),
        }).then(async (r) => ({
          status: r.statusCode,
          body: (await r.body.json()) as { response: { allowed: boolean } },
          ms: Date.now() - started,
        })),
        request(`${webhook.url}/healthz`, { dispatcher }).then(async (r) => {
          await r.body.dump();
          return { status: r.statusCode, ms: Date.now() - started };
        }),
      ]);
      expect(review.status).toBe(200);
      expect(review.body.response.allowed).toBe(false);
      // a backtracking engine takes exponential time on this pair; RE2 is linear (the webhook's limit is 2.5 s)
      expect(review.ms).toBeLessThan(2_000);
      expect(health).toMatchObject({ status: 200 });
      expect(health.ms).toBeLessThan(2_000);
      await dispatcher.close();
    } finally {
      await webhook.close();
    }
  });

  it('the run-time receiver closes a connection whose request head does not arrive within its limit', async () => {
    const receiver = await buildAuditWebhook(() => undefined, {
      token: 'audit-token-for-tests',
      limits: { headersTimeoutMs: 300 },
    });
    await receiver.listen({ port: 0, host: '127.0.0.1' });
    try {
      const port = (receiver.server.address() as { port: number }).port;
      const after = await slowHeaderClosedAfter(port, 5_000);
      expect(after).toBeGreaterThanOrEqual(250);
      expect(after).toBeLessThan(4_000); // the default head limit is 10 s, Node's own 60 s
      // an ordinary request on the same server is still answered
      const res = await fetch(`http://127.0.0.1:${port}/healthz`, {
        headers: { authorization: 'Bearer audit-token-for-tests' },
      });
      expect(res.status).toBe(200);
    } finally {
      await receiver.close();
    }
  });

  it('the center closes a slow request head too (the limits are shared)', async () => {
    const home = mkdtempSync(join(tmpdir(), 'bulkhead-server-limits-'));
    const center = await boot({
      home,
      config: ServeConfig.parse({ port: 0, database: `sqlite:${join(home, 'center.db')}` }),
      limits: { headersTimeoutMs: 300 },
    });
    try {
      const after = await slowHeaderClosedAfter(Number(new URL(center.url).port), 5_000);
      expect(after).toBeLessThan(4_000); // the default head limit is 10 s, Node's own 60 s
    } finally {
      await center.close();
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('one TLS flag without the other is a usage error (exit 2) for every server command', async () => {
    const home = mkdtempSync(join(tmpdir(), 'bulkhead-tls-flags-'));
    try {
      const cert = join(dir, 'tls.crt');
      const token = join(dir, 'token');
      const runs = [
        [
          'runtime',
          'serve',
          '--webhook-port',
          '0',
          '--address',
          '127.0.0.2',
          '--tls-cert',
          cert,
          '--token-file',
          token,
        ],
        ['runtime', 'serve', '--webhook-port', '0', '--tls-key', join(dir, 'tls.key'), '--token-file', token],
        ['serve', '--port', '0', '--tls-cert', cert],
        ['admission', 'serve', '--port', '0', '--tls-cert', cert],
      ];
      for (const args of runs) {
        const run = await runBuiltCli(['--home', home, ...args]);
        expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(2);
        expect(run.stderr.trim().split('\n')).toHaveLength(1);
        expect(run.stderr).toMatch(/--tls-(cert|key)/);
      }
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
