/** What a cataloger asks of a file it wants. */
export interface Want {
  /** Largest content kept (bigger files are skipped with a reason). */
  maxBytes: number;
  /** Instead of keeping the whole file, feed it through a probe that keeps only what it needs. */
  probe?: () => Probe;
}

/** Streams a file once and keeps a bounded extract of it (e.g. Go build info from a binary). */
export interface Probe {
  push(chunk: Buffer): void;
  /** The extract, or undefined when the file has nothing of interest. */
  finish(): Buffer | undefined;
}

export interface FileInfo {
  size: number;
  mode: number;
}

/** Which files to keep: undefined = not wanted. Paths are root-relative without a leading slash. */
export type WantFn = (path: string, info: FileInfo) => Want | undefined;

/** Sees the content of one regular file as it streams by, whatever later layers do to it (a secret scan). */
export interface FileTap {
  push(chunk: Buffer): void;
  end(): void;
}

/**
 * Which regular files to show a tap, in every layer that writes them (a file a later layer deletes included):
 * undefined = none. `layer` is the layer's index (0 for a root file system).
 */
export type TapFn = (path: string, info: FileInfo, layer: number) => FileTap | undefined;

export interface ViewEntry {
  kind: 'file' | 'symlink';
  /** Index of the layer that last wrote the path. */
  layer: number;
  size: number;
  mode: number;
  content?: Buffer;
  target?: string;
}

export interface Skipped {
  path: string;
  reason: string;
}

/**
 * The final file system of an image, restricted to the files catalogers asked for: later layers replace
 * earlier ones, whiteouts delete. Never materialised on disk.
 */
export class FileView {
  readonly entries = new Map<string, ViewEntry>();
  readonly skipped: Skipped[] = [];
  /** Every regular file path met so far (to tell a hard link to an uninteresting file from a dangling one). */
  readonly seen = new Set<string>();
  /** Ancestors of every path ever set: only these can hide entries below them. */
  private readonly parents = new Set<string>();

  set(path: string, entry: ViewEntry): void {
    this.entries.set(path, entry);
    for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) {
      const dir = path.slice(0, i);
      if (this.parents.has(dir)) break;
      this.parents.add(dir);
    }
  }

  /** Remove `path` and everything below it that came from a layer before `layer`. */
  remove(path: string, layer: number, below = true): void {
    const e = this.entries.get(path);
    if (e && e.layer < layer) this.entries.delete(path);
    if (!below || (path !== '' && !this.parents.has(path))) return;
    const prefix = path === '' ? '' : `${path}/`;
    for (const [p, entry] of this.entries)
      if (p.startsWith(prefix) && entry.layer < layer) this.entries.delete(p);
  }

  /** Follow symlinks inside the view (never outside its root), at most 16 hops. */
  resolve(path: string): { path: string; entry: ViewEntry } | undefined {
    let current = path;
    for (let hops = 0; hops < 16; hops++) {
      const entry = this.entries.get(current);
      if (!entry) return undefined;
      if (entry.kind === 'file') return { path: current, entry };
      const target = entry.target ?? '';
      const base = target.startsWith('/') ? [] : current.split('/').slice(0, -1);
      for (const part of target.split('/')) {
        if (part === '' || part === '.') continue;
        if (part === '..') base.pop();
        else base.push(part);
      }
      current = base.join('/');
    }
    return undefined;
  }

  /** Content of a file (following symlinks), or undefined. */
  read(path: string): Buffer | undefined {
    return this.resolve(path)?.entry.content;
  }

  /** Regular files with content, in path order. */
  *files(): Generator<[string, ViewEntry]> {
    for (const path of [...this.entries.keys()].sort()) {
      const e = this.entries.get(path)!;
      if (e.kind === 'file' && e.content) yield [path, e];
    }
  }
}
