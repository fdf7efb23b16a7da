import { createWriteStream } from 'node:fs';
import { type IncomingMessage, request } from 'node:http';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ExternalServiceError, errorMessage, UserInputError } from '../core/errors.js';
import { createTempDir } from '../core/temp-space.js';
import { openArchive } from './archive.js';
import type { ImageSource, OpenOptions } from './types.js';

export function dockerSocket(options: OpenOptions = {}): string {
  if (options.dockerSocket) return options.dockerSocket;
  const host = process.env.DOCKER_HOST;
  if (host?.startsWith('unix://')) return host.slice('unix://'.length);
  return '/var/run/docker.sock';
}

/** GET on the Docker Engine API over its unix socket (node:http streams large bodies reliably). */
export function engineGet(path: string, options: OpenOptions = {}): Promise<IncomingMessage> {
  const socketPath = dockerSocket(options);
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, method: 'GET', headers: { host: 'docker' } }, resolve);
    req.on('error', (error) =>
      reject(
        new ExternalServiceError(
          'docker',
          `cannot reach the Docker daemon at ${socketPath} (${errorMessage(error)})`,
        ),
      ),
    );
    req.end();
  });
}

async function readText(res: IncomingMessage, max = 4 << 20): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of res) {
    size += (c as Buffer).length;
    if (size > max) throw new ExternalServiceError('docker', 'answer too large');
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * An image from the local Docker daemon: inspected, then exported with `GET /images/{name}/get` (the
 * docker save format) into a private temp file that is read by offset and removed on close.
 */
export async function openDaemon(name: string, options: OpenOptions): Promise<ImageSource> {
  const what = `docker-daemon:${name}`;
  const inspect = await engineGet(`/images/${encodeURIComponent(name)}/json`, options);
  const body = await readText(inspect);
  if (inspect.statusCode === 404) throw new UserInputError(what, 'no such image in the Docker daemon');
  if (inspect.statusCode !== 200)
    throw new ExternalServiceError(
      'docker',
      `image inspect failed: HTTP ${inspect.statusCode} ${body.slice(0, 200)}`,
    );
  const info = JSON.parse(body) as { Id: string; RepoTags?: string[]; RepoDigests?: string[] };
  // removed on close, on error, and on exit or SIGINT/SIGTERM while the export is in progress
  const dir = createTempDir('bulkhead-daemon-');
  const file = join(dir.path, 'image.tar');
  try {
    const res = await engineGet(`/images/${encodeURIComponent(info.Id)}/get`, options);
    if (res.statusCode !== 200) {
      res.resume();
      throw new ExternalServiceError('docker', `image export failed: HTTP ${res.statusCode}`);
    }
    const count = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        options.onBytes?.(chunk.length);
        cb(null, chunk);
      },
    });
    await pipeline(res, count, createWriteStream(file));
    const source = await openArchive(file, options);
    const close = source.close;
    return {
      ...source,
      name: what,
      transport: 'docker-daemon',
      digest: info.Id,
      repoTags: info.RepoTags ?? [],
      ...(info.RepoDigests?.length ? { repoDigests: info.RepoDigests } : {}),
      ...(info.RepoDigests?.[0] ? { manifestDigest: info.RepoDigests[0].split('@')[1] } : {}),
      close: async () => {
        await close();
        dir.remove();
      },
    };
  } catch (error) {
    dir.remove();
    throw error;
  }
}
