import { request } from 'node:http';
import type { Json } from '../event.js';

export interface DockerResponse {
  status: number;
  body: Json;
}

/** One Engine API call over the unix socket; JSON bodies in and out. */
export function docker(
  method: string,
  path: string,
  body?: Buffer | object,
  socketPath = '/var/run/docker.sock',
  contentType = 'application/json',
): Promise<DockerResponse> {
  return new Promise((resolve, reject) => {
    const payload =
      body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
    const req = request(
      {
        socketPath,
        path,
        method,
        headers: payload ? { 'content-type': contentType, 'content-length': payload.length } : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            // streamed progress messages (import) are several JSON documents: keep the text
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

export async function dockerOk(
  method: string,
  path: string,
  body?: Buffer | object,
  socketPath?: string,
  contentType?: string,
): Promise<Json> {
  const res = await docker(method, path, body, socketPath, contentType);
  if (res.status >= 300)
    throw new Error(
      `docker ${method} ${path.split('?')[0]}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`,
    );
  return res.body;
}
