import { Readable } from 'node:stream';
import { pack } from 'tar-stream';
import type { ImageSource } from '../types.js';

export interface TarEntry {
  name: string;
  type?: 'file' | 'directory' | 'symlink' | 'link';
  content?: string | Buffer;
  linkname?: string;
  mode?: number;
}

/** A tar archive of the entries, names written exactly as given (hostile ones included). */
export async function tarOf(entries: TarEntry[]): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  p.on('data', (c) => {
    chunks.push(c as Buffer);
  });
  const done = new Promise<void>((r) => p.on('end', () => r()));
  for (const e of entries) {
    const type = e.type ?? 'file';
    const content = e.content === undefined ? undefined : Buffer.from(e.content);
    await new Promise<void>((resolve, reject) => {
      const cb = (err?: Error | null) => (err ? reject(err) : resolve());
      if (type === 'file')
        p.entry({ name: e.name, mode: e.mode ?? 0o644, type }, content ?? Buffer.alloc(0), cb);
      else
        p.entry(
          { name: e.name, type, mode: e.mode ?? 0o755, ...(e.linkname ? { linkname: e.linkname } : {}) },
          cb,
        );
    });
  }
  p.finalize();
  await done;
  return Buffer.concat(chunks);
}

/** An in-memory image whose layers are the given blobs (compressed or not), for walk tests. */
export function memoryImage(layers: Buffer[]): ImageSource {
  return {
    name: 'memory',
    transport: 'memory',
    digest: 'sha256:memory',
    repoTags: [],
    config: {},
    layers: layers.map((_, i) => ({ digest: `sha256:layer${i}` })),
    openLayer: async (i) => Readable.from([layers[i]!]),
    close: async () => {},
  };
}
