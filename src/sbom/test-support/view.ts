import { FileView } from '../../image/file-view.js';
import { catalogView } from '../catalog.js';
import type { Cataloger, Package } from '../types.js';

/** A FileView of in-memory files (root-relative paths), for cataloger tests. */
export function viewOf(files: Record<string, Buffer | string>, layer = 0): FileView {
  const view = new FileView();
  for (const [path, content] of Object.entries(files)) {
    const buf = Buffer.isBuffer(content) ? content : Buffer.from(content);
    view.set(path, { kind: 'file', layer, size: Math.max(buf.length, 4096), mode: 0o755, content: buf });
  }
  return view;
}

/** Catalog in-memory files with the given catalogers, as an image's (or, with `directory`, as a directory's). */
export function catalogFiles(
  files: Record<string, Buffer | string>,
  catalogers?: readonly Cataloger[],
  options: { directory?: boolean } = {},
): Package[] {
  return catalogView(viewOf(files), ['sha256:layer0'], catalogers, options).packages;
}

/** `name@version` keys, sorted, for set comparisons. */
export function keys(pkgs: readonly { name: string; version: string }[]): string[] {
  return [...new Set(pkgs.map((p) => `${p.name}@${p.version}`))].sort();
}

/** Read a txtar archive (`-- path --` sections). */
export function parseTxtar(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let current: string | undefined;
  for (const line of text.split('\n')) {
    const m = /^-- (.+) --$/.exec(line);
    if (m) {
      current = m[1]!;
      out[current] = '';
    } else if (current !== undefined) out[current] += `${line}\n`;
  }
  return out;
}
