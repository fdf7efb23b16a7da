import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AdmissionPolicy } from '../../src/admission/policy.js';
import { type RunningServer, startAdmissionServer } from '../../src/admission/server.js';
import { httpsRequest } from '../../src/admission/test-support.js';
import { webhookCertificates } from '../../src/tls/certificates.js';

/** What the webhook answered: the verdict and the denial message, or why there was no usable answer. */
export type ServerVerdict = { allowed: boolean; reasons: string[] } | string;

/**
 * Real HTTPS admission servers for peer suites: one `startAdmissionServer` (the code behind `bulkhead admission
 * serve`) per distinct policy, on loopback with a freshly generated CA, started on first use and kept until
 * close(). Bodies are POSTed to /validate exactly as kube-apiserver would.
 */
export class AdmissionServerPool {
  private readonly dir = mkdtempSync(join(tmpdir(), 'bulkhead-peer-webhook-'));
  private readonly certs = webhookCertificates(['localhost'], { ipAddresses: ['127.0.0.1'] });
  private readonly servers = new Map<string, Promise<RunningServer>>();
  requests = 0;

  constructor() {
    writeFileSync(join(this.dir, 'tls.crt'), this.certs.cert);
    writeFileSync(join(this.dir, 'tls.key'), this.certs.key, { mode: 0o600 });
  }

  private server(key: string, policy: () => AdmissionPolicy): Promise<RunningServer> {
    let server = this.servers.get(key);
    if (!server) {
      server = startAdmissionServer({
        policy: policy(),
        port: 0,
        tlsCert: join(this.dir, 'tls.crt'),
        tlsKey: join(this.dir, 'tls.key'),
        tlsPollMs: 0,
      });
      this.servers.set(key, server);
    }
    return server;
  }

  /** POST one AdmissionReview body to the server of `key` (started from `policy()` when first needed). */
  async post(key: string, policy: () => AdmissionPolicy, body: string): Promise<ServerVerdict> {
    const server = await this.server(key, policy);
    this.requests += 1;
    const res = await httpsRequest(`${server.url}/validate`, this.certs.caCert, body);
    if (res.status !== 200) return `HTTP ${res.status}: ${res.text.slice(0, 200)}`;
    const review = res.json() as {
      response?: { allowed?: unknown; status?: { message?: string }; uid?: unknown };
    };
    if (typeof review.response?.allowed !== 'boolean')
      return `no response.allowed in ${res.text.slice(0, 200)}`;
    return {
      allowed: review.response.allowed,
      reasons: review.response.status?.message ? [review.response.status.message] : [],
    };
  }

  async close(): Promise<void> {
    const servers = await Promise.allSettled(this.servers.values());
    for (const s of servers) if (s.status === 'fulfilled') await s.value.close();
    this.servers.clear();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
