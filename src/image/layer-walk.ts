import type { Readable } from 'node:stream';
import { extract } from 'tar-stream';
import { ExternalServiceError, errorMessage, UserInputError } from '../core/errors.js';
import { DEFAULT_LIMITS, DecompressionBombError, type ExpansionLimits, tarStreamOf } from './decompress.js';
import { FileView, type Probe, type TapFn, type WantFn } from './file-view.js';
import { normalizeMemberPath } from './tar-index.js';
import type { ImageSource } from './types.js';

export interface WalkOptions {
  limits?: ExpansionLimits;
  onLayer?: (index: number, total: number) => void;
  onBytes?: (n: number) => void;
  /** Shown every regular file of every layer it asks for, as it streams by (bounded by what the tap keeps). */
  tap?: TapFn;
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

/** Apply one layer's tar stream to the view. */
export function applyLayer(
  view: FileView,
  tar: Readable,
  layer: number,
  wants: WantFn,
  tap?: TapFn,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const ex = extract();
    const opaque: string[] = [];
    ex.on('entry', (header, stream, next) => {
      // a failing archive destroys its entry streams too; the extractor's own error reports it
      stream.on('error', () => {});
      const drain = () => {
        stream.on('end', next);
        stream.resume();
      };
      const path = normalizeMemberPath(header.name);
      if (path === undefined) {
        view.skipped.push({ path: header.name, reason: `layer ${layer}: path escapes the root, ignored` });
        return drain();
      }
      const name = basename(path);
      if (name.startsWith('.wh.')) {
        if (name === '.wh..wh..opq') opaque.push(dirname(path));
        else view.remove(`${dirname(path)}${dirname(path) ? '/' : ''}${name.slice(4)}`, layer);
        return drain();
      }
      // whatever was at this path in a lower layer is replaced
      view.remove(path, layer, header.type === 'file' || header.type === 'symlink' || header.type === 'link');
      const info = { size: header.size ?? 0, mode: header.mode ?? 0 };
      if (header.type === 'symlink') {
        if (wants(path, info))
          view.set(path, { kind: 'symlink', layer, size: 0, mode: info.mode, target: header.linkname ?? '' });
        return drain();
      }
      if (header.type === 'link') {
        const want = wants(path, info);
        if (want) {
          const target = normalizeMemberPath(header.linkname ?? '');
          const source = target === undefined ? undefined : view.entries.get(target);
          if (source?.kind === 'file') view.set(path, { ...source, layer });
          // a link to a file that exists but held nothing of interest is no news
          else if (target === undefined || !view.seen.has(target))
            view.skipped.push({ path, reason: `hard link to missing file ${header.linkname}` });
        }
        return drain();
      }
      if (header.type !== 'file' && header.type !== 'contiguous-file') return drain();
      view.seen.add(path);
      let want = wants(path, info);
      if (want && !want.probe && info.size > want.maxBytes) {
        view.skipped.push({ path, reason: `larger than ${want.maxBytes} bytes (${info.size})` });
        want = undefined;
      }
      const tapped = tap?.(path, info, layer);
      if (!want && !tapped) return drain();
      const probe: Probe | undefined = want?.probe?.();
      const chunks: Buffer[] = [];
      stream.on('data', (data) => {
        const c = data as Buffer;
        tapped?.push(c);
        if (probe) probe.push(c);
        else if (want) chunks.push(c);
      });
      stream.on('end', () => {
        tapped?.end();
        if (want) {
          const content = probe ? probe.finish() : Buffer.concat(chunks);
          if (content) view.set(path, { kind: 'file', layer, size: info.size, mode: info.mode, content });
        }
        next();
      });
    });
    ex.on('finish', () => {
      for (const dir of opaque) view.remove(dir, layer);
      resolve();
    });
    ex.on('error', reject);
    tar.on('error', (e) => ex.destroy(e));
    tar.pipe(ex);
  });
}

/**
 * Stream every layer once, in order, into a FileView of the wanted files. A layer that is truncated or not
 * a tar is skipped with a reason; a digest mismatch or a service error stops the walk.
 */
export async function walkLayers(
  source: ImageSource,
  wants: WantFn,
  options: WalkOptions = {},
): Promise<FileView> {
  const view = new FileView();
  for (let i = 0; i < source.layers.length; i++) {
    options.onLayer?.(i, source.layers.length);
    const layer = source.layers[i]!;
    let blob: Readable | undefined;
    try {
      blob = await source.openLayer(i);
      const tar = await tarStreamOf(blob, options.limits ?? DEFAULT_LIMITS, options.onBytes);
      await applyLayer(view, tar, i, wants, options.tap);
    } catch (error) {
      blob?.destroy();
      if (error instanceof UserInputError || error instanceof ExternalServiceError) throw error;
      if (error instanceof DecompressionBombError)
        throw new UserInputError(source.name, `layer ${layer.digest}: ${error.message}`);
      view.skipped.push({
        path: `layer ${layer.digest}`,
        reason: `unreadable layer skipped: ${errorMessage(error)}`,
      });
    }
  }
  return view;
}
