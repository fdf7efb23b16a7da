import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSelfSignedCertificate } from '../../../../test/fixtures/tls.js';
import type { KubeObject } from '../objects/types.js';
import { LIST_ENDPOINTS } from './endpoints.js';

/** A self-signed certificate for 127.0.0.1, made once per machine with openssl and cached. */
export function testCertificate(): { cert: string; key: string } {
  const dir = join(tmpdir(), 'bulkhead-fixtures', 'k8s-api-tls');
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  if (!existsSync(cert) || !existsSync(key)) {
    mkdirSync(dir, { recursive: true });
    writeSelfSignedCertificate(dir, 3650);
  }
  return { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') };
}

export interface FakeApiServer {
  url: string;
  /** Requests seen, as path + query. */
  requests: string[];
  kubeconfig(dir: string, token?: string): string;
  close(): Promise<void>;
}

/**
 * A small Kubernetes API server for tests: GET /version and the real list endpoints (`/api/v1/pods`,
 * `/apis/apps/v1/deployments`…) over the given objects, paged with `limit` and `continue`, bearer token required.
 */
export async function startFakeApiServer(
  objects: readonly KubeObject[],
  token = 'test-token',
): Promise<FakeApiServer> {
  const { cert, key } = testCertificate();
  const requests: string[] = [];
  const server = https.createServer({ cert, key }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    requests.push(url.pathname + url.search);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${token}`)
      return send(401, { kind: 'Status', message: 'Unauthorized', code: 401 });
    if (url.pathname === '/version') return send(200, { major: '1', minor: '31', gitVersion: 'v1.31.4' });
    const ep = LIST_ENDPOINTS.find((e) => e.path === url.pathname);
    if (!ep)
      return send(404, {
        kind: 'Status',
        message: 'the server could not find the requested resource',
        code: 404,
      });
    const items = objects.filter((o) => o.kind === ep.kind);
    const limit = Number(url.searchParams.get('limit') ?? items.length) || items.length;
    const start = Number(url.searchParams.get('continue') ?? 0);
    const page = items.slice(start, start + limit).map(({ apiVersion: _a, kind: _k, ...rest }) => rest);
    const next = start + limit < items.length ? String(start + limit) : undefined;
    return send(200, {
      kind: `${ep.kind}List`,
      apiVersion: ep.apiVersion,
      metadata: next ? { continue: next } : {},
      items: page,
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    kubeconfig(dir, withToken = token) {
      const file = join(
        dir,
        `kubeconfig-${createHash('sha1')
          .update(url + withToken)
          .digest('hex')
          .slice(0, 8)}`,
      );
      writeFileSync(
        file,
        [
          'apiVersion: v1',
          'kind: Config',
          'clusters:',
          `- name: test\n  cluster:\n    server: ${url}\n    certificate-authority-data: ${Buffer.from(cert).toString('base64')}`,
          'users:',
          `- name: tester\n  user:\n    token: ${withToken}`,
          'contexts:',
          '- name: test\n  context:\n    cluster: test\n    user: tester',
          'current-context: test',
          '',
        ].join('\n'),
      );
      return file;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
