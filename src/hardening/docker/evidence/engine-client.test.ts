import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSelfSignedCertificate } from '../../../../test/fixtures/tls.js';
import { EngineClient, EngineError, parseDockerHost } from './engine-client.js';

const dir = mkdtempSync(join(tmpdir(), 'bulkhead-engine-tls-'));
let tlsServer: https.Server;
let plainSocket: string;
let plainServer: http.Server;

function answer(req: http.IncomingMessage, res: http.ServerResponse): void {
  if (req.url === '/info') {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ ID: 'daemon-1' }));
    return;
  }
  res.statusCode = 404;
  res.end(JSON.stringify({ message: 'page not found' }));
}

beforeAll(async () => {
  // one self-signed certificate for 127.0.0.1 serves as CA, server and client certificate
  writeSelfSignedCertificate(dir);
  copyFileSync(join(dir, 'cert.pem'), join(dir, 'ca.pem'));
  const cert = readFileSync(join(dir, 'cert.pem'));
  tlsServer = https.createServer(
    { key: readFileSync(join(dir, 'key.pem')), cert, ca: cert, requestCert: true, rejectUnauthorized: true },
    answer,
  );
  await new Promise<void>((r) => tlsServer.listen(0, '127.0.0.1', r));
  plainSocket = join(dir, 'docker.sock');
  plainServer = http.createServer(answer);
  await new Promise<void>((r) => plainServer.listen(plainSocket, r));
});

afterAll(() => {
  tlsServer.close();
  plainServer.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('EngineClient', () => {
  it('talks to a unix socket and reports API errors with their message', async () => {
    const client = new EngineClient(parseDockerHost(`unix://${plainSocket}`));
    expect(await client.get('/info')).toEqual({ ID: 'daemon-1' });
    await expect(client.get('/nope')).rejects.toThrow(EngineError);
    await expect(client.get('/nope')).rejects.toThrow(/404 page not found/);
    client.close();
  });

  it('uses TLS client certificates from DOCKER_CERT_PATH when DOCKER_TLS_VERIFY is set', async () => {
    const port = (tlsServer.address() as AddressInfo).port;
    const endpoint = parseDockerHost(`tcp://127.0.0.1:${port}`, {
      DOCKER_TLS_VERIFY: '1',
      DOCKER_CERT_PATH: dir,
    });
    const client = new EngineClient(endpoint);
    expect(await client.get('/info')).toEqual({ ID: 'daemon-1' });
    client.close();
    const plain = new EngineClient(parseDockerHost(`tcp://127.0.0.1:${port}`, {}));
    await expect(plain.get('/info')).rejects.toThrow();
    plain.close();
  });

  it('names a missing client file and a malformed host', () => {
    expect(() =>
      parseDockerHost('tcp://127.0.0.1:2376', {
        DOCKER_TLS_VERIFY: '1',
        DOCKER_CERT_PATH: join(dir, 'none'),
      }),
    ).toThrow(/ca\.pem/);
    expect(() => parseDockerHost('ssh://user@host')).toThrow(/--docker-host/);
  });
});
