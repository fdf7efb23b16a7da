import { lstat, readdir, readFile, readlink, realpath, stat } from 'node:fs/promises';
import { posix } from 'node:path';
import { errorMessage } from '../../../core/errors.js';
import { type FileStat, missing, ok, type Source } from '../types.js';

/**
 * Host files seen through `--root` (a mounted host root, e.g. `/host` in an agent container). Absolute
 * symlinks are resolved inside the root, never towards the scanner's own file system.
 */
export class HostFs {
  private users: Map<number, string> | undefined;
  private groups: Map<number, string> | undefined;

  constructor(readonly root: string) {}

  /** The scanner-side path of a host path. */
  async resolve(hostPath: string): Promise<string> {
    if (this.root === '/') return hostPath;
    const parts = posix.normalize(hostPath).split('/').filter(Boolean);
    let current = '/';
    for (let hops = 0, i = 0; i < parts.length; i++) {
      const next = posix.join(current, parts[i]!);
      try {
        const info = await lstat(this.inRoot(next));
        if (info.isSymbolicLink() && hops++ < 40) {
          const link = await readlink(this.inRoot(next));
          const target = link.startsWith('/') ? link : posix.join(current, link);
          parts.splice(0, i + 1, ...posix.normalize(target).split('/').filter(Boolean));
          current = '/';
          i = -1;
          continue;
        }
      } catch {
        return this.inRoot(posix.join(next, ...parts.slice(i + 1)));
      }
      current = next;
    }
    return this.inRoot(current);
  }

  private inRoot(hostPath: string): string {
    const normal = posix.normalize(`/${hostPath}`);
    return this.root === '/' ? normal : posix.join(this.root, normal);
  }

  async readText(hostPath: string): Promise<Source<string | null>> {
    try {
      return ok(await readFile(await this.resolve(hostPath), 'utf8'));
    } catch (error) {
      if (isNotFound(error)) return ok(null);
      return missing(`${hostPath}: ${errorMessage(error)}`);
    }
  }

  async list(hostDir: string): Promise<Source<string[] | null>> {
    try {
      return ok((await readdir(await this.resolve(hostDir))).sort());
    } catch (error) {
      if (isNotFound(error)) return ok(null);
      return missing(`${hostDir}: ${errorMessage(error)}`);
    }
  }

  /** The target of a symlink as the host sees it (e.g. `/proc/<pid>/exe`), without following it. */
  async readLink(hostPath: string): Promise<Source<string>> {
    try {
      return ok(await readlink(this.inRoot(hostPath)));
    } catch (error) {
      return missing(`readlink ${hostPath}: ${errorMessage(error)}`);
    }
  }

  async exists(hostPath: string): Promise<boolean> {
    try {
      await stat(await this.resolve(hostPath));
      return true;
    } catch {
      return false;
    }
  }

  /** stat (following symlinks) with owner and group names from the host's /etc/passwd and /etc/group. */
  async stat(hostPath: string): Promise<Source<FileStat | null>> {
    try {
      const resolved = await this.resolve(hostPath);
      const s = await stat(resolved);
      // the path with every symlink resolved, as the host sees it (audit rules may name either form)
      const realPath = this.root === '/' ? await realpath(resolved) : resolved.slice(this.root.length) || '/';
      const { users, groups } = await this.names();
      const type = s.isFile() ? 'file' : s.isDirectory() ? 'directory' : s.isSocket() ? 'socket' : 'other';
      return ok({
        path: hostPath,
        realPath,
        type,
        uid: s.uid,
        gid: s.gid,
        owner: users.get(s.uid) ?? String(s.uid),
        group: groups.get(s.gid) ?? String(s.gid),
        mode: s.mode & 0o7777,
      });
    } catch (error) {
      if (isNotFound(error)) return ok(null);
      return missing(`stat ${hostPath}: ${errorMessage(error)}`);
    }
  }

  private async names(): Promise<{ users: Map<number, string>; groups: Map<number, string> }> {
    if (!this.users || !this.groups) {
      const parse = (text: string | null) =>
        new Map(
          (text ?? '')
            .split('\n')
            .map((l) => l.split(':'))
            .filter((f) => f.length >= 3 && /^\d+$/.test(f[2]!))
            .map((f) => [Number(f[2]), f[0]!] as const),
        );
      const [p, g] = await Promise.all([this.readText('/etc/passwd'), this.readText('/etc/group')]);
      this.users = parse(p.ok ? p.value : null);
      this.groups = parse(g.ok ? g.value : null);
    }
    return { users: this.users, groups: this.groups };
  }
}

export function isNotFound(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
