import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, fetch } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import type { RuntimeEvent } from '../event.js';
import { k8s } from '../rules/test-support/events.js';
import { buildAuditWebhook } from './webhook.js';

const dir = mkdtempSync(join(tmpdir(), 'bulkhead-webhook-tls-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const f = (name: string) => join(dir, name);
const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });

describe('audit webhook over HTTPS', () => {
  it('accepts a client certificate signed by --client-ca, and refuses clients without certificate or token', async () => {
    openssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      f('ca.key'),
      '-out',
      f('ca.crt'),
      '-days',
      '1',
      '-subj',
      '/CN=test-ca',
    );
    openssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      f('tls.key'),
      '-out',
      f('tls.crt'),
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    );
    openssl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      f('client.key'),
      '-out',
      f('client.csr'),
      '-subj',
      '/CN=kube-apiserver',
    );
    openssl(
      'x509',
      '-req',
      '-in',
      f('client.csr'),
      '-CA',
      f('ca.crt'),
      '-CAkey',
      f('ca.key'),
      '-CAcreateserial',
      '-out',
      f('client.crt'),
      '-days',
      '1',
    );
    const got: RuntimeEvent[] = [];
    const app = await buildAuditWebhook((e) => got.push(e), {
      tlsCert: f('tls.crt'),
      tlsKey: f('tls.key'),
      clientCa: f('ca.crt'),
    });
    const url = `${await app.listen({ port: 0, host: '127.0.0.1' })}/k8s-audit`;
    const body = JSON.stringify({
      kind: 'EventList',
      apiVersion: 'audit.k8s.io/v1',
      items: [k8s({ resource: 'pods', verb: 'list', code: 200 }).audit],
    });
    const headers = { 'content-type': 'application/json' };
    try {
      const withCert = new Agent({
        connect: {
          ca: readFileSync(f('tls.crt')),
          cert: readFileSync(f('client.crt')),
          key: readFileSync(f('client.key')),
        },
      });
      const ok = await fetch(url, { method: 'POST', body, headers, dispatcher: withCert });
      expect(ok.status).toBe(200);
      const anonymous = new Agent({ connect: { ca: readFileSync(f('tls.crt')) } });
      const refused = await fetch(url, { method: 'POST', body, headers, dispatcher: anonymous });
      expect(refused.status).toBe(401);
      expect(got.length).toBe(1);
      await withCert.close();
      await anonymous.close();
    } finally {
      await app.close();
    }
  });
});
