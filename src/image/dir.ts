import { createReadStream, lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage, UserInputError } from '../core/errors.js';
import { type FileTap, FileView, type TapFn, type WantFn } from './file-view.js';

async function readFile(
  view: FileView,
  full: string,
  path: string,
  size: number,
  mode: number,
  wanted: ReturnType<WantFn>,
  tapped: FileTap | undefined,
) {
  let want = wanted;
  if (want && !want.probe && size > want.maxBytes) {
    view.skipped.push({ path, reason: `larger than ${want.maxBytes} bytes (${size})` });
    want = undefined;
  }
  if (!want && !tapped) return;
  const probe = want?.probe?.();
  const chunks: Buffer[] = [];
  try {
    for await (const c of createReadStream(full, { highWaterMark: 1 << 20 })) {
      tapped?.push(c as Buffer);
      if (probe) probe.push(c as Buffer);
      else if (want) chunks.push(c as Buffer);
    }
  } catch (error) {
    view.skipped.push({ path, reason: `unreadable: ${errorMessage(error)}` });
    return;
  }
  tapped?.end();
  if (!want) return;
  const content = probe ? probe.finish() : Buffer.concat(chunks);
  if (content) view.set(path, { kind: 'file', layer: 0, size, mode, content });
}

/**
 * A root file system on disk (`dir:`) as a FileView. Symbolic links are recorded, never followed on disk,
 * so nothing outside the root is read.
 */
export async function walkDir(root: string, wants: WantFn, tap?: TapFn): Promise<FileView> {
  let st: ReturnType<typeof lstatSync>;
  try {
    st = lstatSync(root);
  } catch {
    throw new UserInputError(root, 'no such directory');
  }
  if (!st.isDirectory()) throw new UserInputError(root, 'not a directory');
  const view = new FileView();
  const stack: string[] = [''];
  while (stack.length > 0) {
    const rel = stack.pop()!;
    let names: string[];
    try {
      names = readdirSync(join(root, rel));
    } catch (error) {
      view.skipped.push({ path: rel || '/', reason: `unreadable directory: ${errorMessage(error)}` });
      continue;
    }
    for (const name of names) {
      const path = rel ? `${rel}/${name}` : name;
      const full = join(root, path);
      let s: ReturnType<typeof lstatSync>;
      try {
        s = lstatSync(full);
      } catch {
        continue;
      }
      const info = { size: s.size, mode: s.mode & 0o7777 };
      if (s.isDirectory()) stack.push(path);
      else if (s.isSymbolicLink()) {
        if (wants(path, info))
          view.set(path, { kind: 'symlink', layer: 0, size: 0, mode: info.mode, target: readlinkSync(full) });
      } else if (s.isFile()) {
        await readFile(view, full, path, info.size, info.mode, wants(path, info), tap?.(path, info, 0));
      }
    }
  }
  return view;
}
