import { createHash } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  createWriteStream,
  existsSync,
  lstatSync,
  openSync,
  readFileSync,
  readSync,
} from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { errorMessage, UserInputError } from '../core/errors.js';
import { checkInputFile } from '../core/input-file.js';
import { byteBudget, createTempDir, tempBudget } from '../core/temp-space.js';
import { piped } from './decompress.js';
import { chooseFromIndex, parseConfig, parseDockerSaveManifest, parseManifestOrIndex } from './manifest.js';
import { indexTar, normalizeMemberPath, openMember, readMember, type TarMember } from './tar-index.js';
import { type ImageSource, type LayerRef, type OpenOptions, parsePlatform } from './types.js';
import { verifyDigest } from './verify.js';

/** Random access to the files of an archive or layout directory. */
interface BlobReader {
  has(path: string): boolean;
  read(path: string): Buffer;
  open(path: string): Readable;
  close(): void;
}

const MAX_META = 16 << 20;

function dirReader(root: string): BlobReader {
  const base = resolve(root);
  const full = (path: string) => {
    const rel = normalizeMemberPath(path);
    if (rel === undefined) throw new UserInputError(root, `path escapes the layout: ${path}`);
    const p = join(base, rel);
    if (!p.startsWith(base + sep)) throw new UserInputError(root, `path escapes the layout: ${path}`);
    return p;
  };
  return {
    has: (path) => {
      const p = full(path);
      return existsSync(p) && lstatSync(p).isFile();
    },
    read: (path) => {
      const p = full(path);
      if (lstatSync(p).size > MAX_META) throw new UserInputError(root, `${path} is too large`);
      return readFileSync(p);
    },
    open: (path) => createReadStream(full(path), { highWaterMark: 1 << 20 }),
    close: () => {},
  };
}

function tarReader(file: string, cleanup?: () => void): BlobReader {
  let members: Map<string, TarMember>;
  try {
    members = indexTar(file);
  } catch (error) {
    cleanup?.();
    throw new UserInputError(file, errorMessage(error));
  }
  const get = (path: string) => {
    const m = members.get(normalizeMemberPath(path) ?? '');
    if (!m) throw new UserInputError(file, `archive has no ${path}`);
    return m;
  };
  return {
    has: (path) => members.has(normalizeMemberPath(path) ?? ''),
    read: (path) => readMember(file, get(path), MAX_META),
    open: (path) => openMember(file, get(path)),
    close: () => cleanup?.(),
  };
}

function isGzip(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const b = Buffer.alloc(2);
    readSync(fd, b, 0, 2, 0);
    return b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

/** A gzip-compressed archive is decompressed once to a private temp file (never extracted). */
async function archiveReader(file: string): Promise<BlobReader> {
  const { size } = checkInputFile(file, { maxBytes: Number.MAX_SAFE_INTEGER, what: 'an image archive' });
  if (!isGzip(file)) return tarReader(file);
  // the decompressed copy is held to a temp-space budget and removed on every way out, signals included
  const dir = createTempDir('bulkhead-archive-');
  const plain = join(dir.path, 'archive.tar');
  try {
    await pipeline(
      createReadStream(file),
      createGunzip(),
      byteBudget(file, tempBudget(size, dir.path)),
      createWriteStream(plain, { mode: 0o600 }),
    );
  } catch (error) {
    dir.remove();
    if (error instanceof UserInputError) throw error;
    throw new UserInputError(file, `cannot decompress: ${errorMessage(error)}`);
  }
  return tarReader(plain, () => dir.remove());
}

function blobPath(digest: string): string {
  const [alg, hex] = digest.split(':');
  return `blobs/${alg}/${hex}`;
}

function sha256(data: Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** An OCI layout (directory or archive): index.json → (nested indexes) → manifest → config + layers. */
function openOciLayout(
  name: string,
  transport: string,
  r: BlobReader,
  options: OpenOptions,
  ref?: string,
): ImageSource {
  const platform = parsePlatform(options.platform);
  let parsed = parseManifestOrIndex(`${name} index.json`, r.read('index.json'));
  let manifestDigest: string | undefined;
  let useRef = ref;
  for (let depth = 0; parsed.kind === 'index'; depth++) {
    if (depth > 4) throw new UserInputError(name, 'index nesting too deep');
    const d = chooseFromIndex(name, parsed.index, platform, useRef);
    useRef = undefined;
    const data = r.read(blobPath(d.digest));
    verifyDigest(name, d.digest, data);
    manifestDigest = d.digest;
    parsed = parseManifestOrIndex(`${name} ${d.digest}`, data);
  }
  const { manifest } = parsed;
  const configData = r.read(blobPath(manifest.config.digest));
  verifyDigest(name, manifest.config.digest, configData);
  const config = parseConfig(`${name} config`, configData);
  const diffIds = config.rootfs?.diff_ids ?? [];
  const layers: LayerRef[] = manifest.layers.map((l, i) => ({
    digest: l.digest,
    ...(diffIds[i] ? { diffId: diffIds[i] } : {}),
    ...(l.size !== undefined ? { size: l.size } : {}),
    ...(l.mediaType ? { mediaType: l.mediaType } : {}),
  }));
  return {
    name,
    transport,
    digest: manifest.config.digest,
    ...(manifestDigest ? { manifestDigest } : {}),
    repoTags: ref ? [ref] : [],
    config,
    layers,
    openLayer: async (i) => verifiedStream(name, r.open(blobPath(layers[i]!.digest)), layers[i]!.digest),
    close: async () => r.close(),
  };
}

/** docker save output (legacy `<id>/layer.tar` or OCI-style `blobs/sha256/…`): manifest.json drives it. */
function openDockerSave(name: string, r: BlobReader, ref?: string): ImageSource {
  const entries = parseDockerSaveManifest(`${name} manifest.json`, r.read('manifest.json'));
  const entry = ref
    ? entries.find((e) => e.RepoTags?.some((t) => t === ref || t.endsWith(`/${ref}`)))
    : entries[0];
  if (!entry) throw new UserInputError(name, `no image tagged ${ref} in the archive`);
  if (!ref && entries.length > 1)
    throw new UserInputError(name, `the archive holds ${entries.length} images: name one (PATH:REPO:TAG)`);
  const configData = r.read(entry.Config);
  const config = parseConfig(`${name} ${entry.Config}`, configData);
  const diffIds = config.rootfs?.diff_ids ?? [];
  const layers: LayerRef[] = entry.Layers.map((path, i) => {
    const m = /^blobs\/([a-z0-9]+)\/([a-f0-9]+)$/.exec(path);
    return {
      digest: m ? `${m[1]}:${m[2]}` : (diffIds[i] ?? path),
      ...(diffIds[i] ? { diffId: diffIds[i] } : {}),
    };
  });
  return {
    name,
    transport: 'docker-archive',
    digest: sha256(configData),
    repoTags: entry.RepoTags ?? [],
    config,
    layers,
    openLayer: async (i) => {
      const path = entry.Layers[i]!;
      // OCI-style saves name the blob by its digest; legacy `<id>/layer.tar` files are the uncompressed diff
      const want = path.startsWith('blobs/') ? layers[i]!.digest : layers[i]!.diffId;
      const stream = r.open(path);
      return want ? verifiedStream(name, stream, want) : stream;
    },
    close: async () => r.close(),
  };
}

/** Hash while streaming; the stream fails at its end when the content does not match `digest`. */
export function verifiedStream(name: string, stream: Readable, digest: string): Readable {
  const [alg, hex] = digest.split(':');
  if ((alg !== 'sha256' && alg !== 'sha512') || !hex) return stream;
  const hash = createHash(alg);
  const t = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      cb(null, chunk);
    },
    flush(cb) {
      const got = hash.digest('hex');
      cb(
        got === hex
          ? null
          : new UserInputError(name, `blob digest mismatch: expected ${digest}, got ${alg}:${got}`),
      );
    },
  });
  return piped(stream, t);
}

export async function openArchive(path: string, options: OpenOptions, ref?: string): Promise<ImageSource> {
  const r = await archiveReader(path);
  try {
    if (r.has('manifest.json')) return openDockerSave(path, r, ref);
    if (r.has('index.json')) return openOciLayout(path, 'oci-archive', r, options, ref);
    throw new UserInputError(
      path,
      'neither manifest.json nor index.json in the archive: not an image archive',
    );
  } catch (error) {
    r.close();
    throw error;
  }
}

export async function openOciDir(path: string, options: OpenOptions, ref?: string): Promise<ImageSource> {
  if (!existsSync(join(path, 'index.json')))
    throw new UserInputError(path, 'not an OCI layout (no index.json)');
  return openOciLayout(path, 'oci', dirReader(path), options, ref);
}
