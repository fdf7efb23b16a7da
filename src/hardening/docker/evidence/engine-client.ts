import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { errorMessage, UserInputError } from '../../../core/errors.js';

/** Client certificate material for a daemon served with `tlsverify` (PEM text). */
export interface EngineTls {
  ca: string;
  cert: string;
  key: string;
}

/** Where the daemon answers: a unix socket path, or a TCP host and port (HTTP, or HTTPS with client certificates). */
export type EngineEndpoint =
  | { kind: 'unix'; socketPath: string; display: string }
  | { kind: 'tcp'; host: string; port: number; display: string; tls?: EngineTls };

/** Read ca.pem, cert.pem and key.pem from a directory, as the docker CLI does with DOCKER_CERT_PATH. */
export function readTlsDir(dir: string): EngineTls {
  const read = (name: string) => {
    try {
      return readFileSync(join(dir, name), 'utf8');
    } catch (error) {
      throw new UserInputError(join(dir, name), `cannot read the TLS client file: ${errorMessage(error)}`);
    }
  };
  return { ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem') };
}

/**
 * Parse `--docker-host`: `unix:///path`, a bare absolute path, or `tcp://host:port`. As with the docker CLI,
 * DOCKER_TLS_VERIFY=1 makes a TCP endpoint use TLS with the client files in DOCKER_CERT_PATH (default ~/.docker).
 * @example parseDockerHost('tcp://127.0.0.1:2375') // { kind: 'tcp', host: '127.0.0.1', port: 2375, … }
 */
export function parseDockerHost(value: string, env: NodeJS.ProcessEnv = process.env): EngineEndpoint {
  if (value.startsWith('/')) return { kind: 'unix', socketPath: value, display: `unix://${value}` };
  if (value.startsWith('unix://')) {
    const socketPath = value.slice('unix://'.length);
    if (!socketPath.startsWith('/'))
      throw new UserInputError('--docker-host', `"${value}" needs an absolute path`);
    return { kind: 'unix', socketPath, display: value };
  }
  const tcp = /^(?:tcp|http):\/\/(\[[^\]]+\]|[^:/]+)(?::(\d+))?\/?$/.exec(value);
  if (tcp) {
    const host = tcp[1]!.replace(/^\[|\]$/g, '');
    const verify =
      env.DOCKER_TLS_VERIFY !== undefined && env.DOCKER_TLS_VERIFY !== '' && env.DOCKER_TLS_VERIFY !== '0';
    if (!verify) return { kind: 'tcp', host, port: Number(tcp[2] ?? 2375), display: value };
    const tls = readTlsDir(env.DOCKER_CERT_PATH || join(homedir(), '.docker'));
    return { kind: 'tcp', host, port: Number(tcp[2] ?? 2376), display: value, tls };
  }
  throw new UserInputError('--docker-host', `"${value}" is not unix:///path or tcp://host:port`);
}

/** An HTTP error answer of the Engine API. */
export class EngineError extends Error {
  override readonly name = 'EngineError';
  constructor(
    readonly path: string,
    readonly status: number,
    message: string,
  ) {
    super(`GET ${path}: ${status} ${message}`);
  }
}

/** A small keep-alive client for the read-only Engine API calls the benchmark makes. */
export class EngineClient {
  private readonly agent: http.Agent;

  constructor(
    readonly endpoint: EngineEndpoint,
    private readonly timeoutMs = 30_000,
  ) {
    const tls = endpoint.kind === 'tcp' ? endpoint.tls : undefined;
    this.agent = tls
      ? new https.Agent({ keepAlive: true, maxSockets: 16, ...tls })
      : new http.Agent({ keepAlive: true, maxSockets: 16 });
  }

  get<T = unknown>(path: string): Promise<T> {
    const target =
      this.endpoint.kind === 'unix'
        ? { socketPath: this.endpoint.socketPath }
        : { host: this.endpoint.host, port: this.endpoint.port };
    const request = this.endpoint.kind === 'tcp' && this.endpoint.tls ? https.request : http.request;
    return new Promise<T>((resolve, reject) => {
      const req = request(
        // TLS checks the certificate against the Host header: a TCP endpoint keeps its own
        {
          ...target,
          path,
          method: 'GET',
          agent: this.agent,
          ...(this.endpoint.kind === 'unix' ? { headers: { host: 'docker' } } : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const body = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            if (status < 200 || status >= 300) {
              let message = body.trim();
              try {
                message = (JSON.parse(body) as { message?: string }).message ?? message;
              } catch {}
              reject(new EngineError(path, status, message.slice(0, 300)));
              return;
            }
            try {
              resolve(JSON.parse(body) as T);
            } catch {
              reject(new EngineError(path, status, 'answer is not JSON'));
            }
          });
        },
      );
      req.setTimeout(this.timeoutMs, () =>
        req.destroy(new Error(`GET ${path}: no answer in ${this.timeoutMs} ms`)),
      );
      req.on('error', reject);
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Run `fn` over `items` with at most `limit` at a time; results keep the input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
