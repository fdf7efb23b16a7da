import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Client } from 'undici';
import { ExternalServiceError, errorMessage, UserInputError } from '../core/errors.js';
import { openArchive } from './archive.js';
import type { ImageSource, OpenOptions } from './types.js';

export function dockerSocket(options: OpenOptions = {}): string {
  if (options.dockerSocket) return options.dockerSocket;
  const host = process.env.DOCKER_HOST;
  if (host?.startsWith('unix://')) return host.slice('unix://'.length);
  return '/var/run/docker.sock';
}

/** A client for the Docker Engine API on its unix socket. */
export function engineClient(options: OpenOptions = {}): Client {
  return new Client('http://localhost', { socketPath: dockerSocket(options) });
}

/**
 * An image from the local Docker daemon: inspected, then exported with `GET /images/{name}/get` (the
 * docker save format) into a private temp file that is read by offset and removed on close.
 */
export async function openDaemon(name: string, options: OpenOptions): Promise<ImageSource> {
  const client = engineClient(options);
  const what = `docker-daemon:${name}`;
  try {
    let inspect: Awaited<ReturnType<Client['request']>>;
    try {
      inspect = await client.request({ method: 'GET', path: `/images/${encodeURIComponent(name)}/json` });
    } catch (error) {
      throw new ExternalServiceError(
        'docker',
        `cannot reach the Docker daemon at ${dockerSocket(options)} (${errorMessage(error)})`,
      );
    }
    if (inspect.statusCode === 404) {
      await inspect.body.dump();
      throw new UserInputError(what, 'no such image in the Docker daemon');
    }
    if (inspect.statusCode !== 200) {
      const text = await inspect.body.text();
      throw new ExternalServiceError(
        'docker',
        `image inspect failed: HTTP ${inspect.statusCode} ${text.slice(0, 200)}`,
      );
    }
    const info = (await inspect.body.json()) as { Id: string; RepoTags?: string[]; RepoDigests?: string[] };
    const dir = mkdtempSync(join(tmpdir(), 'bulkhead-daemon-'));
    const file = join(dir, 'image.tar');
    try {
      const res = await client.request({ method: 'GET', path: `/images/${encodeURIComponent(info.Id)}/get` });
      if (res.statusCode !== 200)
        throw new ExternalServiceError('docker', `image export failed: HTTP ${res.statusCode}`);
      res.body.on('data', (c: Buffer) => options.onBytes?.(c.length));
      await pipeline(res.body, createWriteStream(file));
      const source = await openArchive(file, options);
      const close = source.close;
      return {
        ...source,
        name: what,
        transport: 'docker-daemon',
        digest: info.Id,
        repoTags: info.RepoTags ?? [],
        ...(info.RepoDigests?.[0] ? { manifestDigest: info.RepoDigests[0].split('@')[1] } : {}),
        close: async () => {
          await close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  } finally {
    await client.close();
  }
}
