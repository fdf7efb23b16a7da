import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The `origin` of a git checkout when it is a folder on this machine (a clone of a clone), else undefined. */
function localOrigin(repo: string): string | undefined {
  let url: string;
  try {
    url = execFileSync('git', ['-C', repo, 'config', '--get', 'remote.origin.url'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  if (!path || /^[\w.-]+@|^[a-z]+:\/\//i.test(path)) return undefined;
  const folder = resolve(isAbsolute(path) ? path : join(repo, path));
  return existsSync(folder) ? folder.replace(/\/\.git\/?$/, '') : undefined;
}

/**
 * The shared, read-only folder (`design/`, `reference/`, `corpus/`, `scenarios/`): $BULKHEAD_SHARED, else `shared`
 * beside the repository, else beside the repository this checkout was cloned from (a clone made anywhere, e.g.
 * under /tmp, still finds it). When none exists, the path beside the repository (tests then name it as missing).
 */
function locateShared(): string {
  if (process.env.BULKHEAD_SHARED) return resolve(process.env.BULKHEAD_SHARED);
  const beside = (repo: string) => join(dirname(resolve(repo)), 'shared');
  const seen = new Set<string>();
  for (let repo: string | undefined = REPO_ROOT; repo && !seen.has(repo); repo = localOrigin(repo)) {
    seen.add(repo);
    if (existsSync(beside(repo))) return beside(repo);
  }
  return beside(REPO_ROOT);
}

export const SHARED_ROOT = locateShared();
