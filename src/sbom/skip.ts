import picomatch from 'picomatch';

/** Paths the catalogers must not look at, as Trivy's --skip-dirs / --skip-files take them. */
export interface SkipOptions {
  /** Globs of directories: nothing under a matching directory is read. */
  skipDirs?: readonly string[];
  /** Globs of files. */
  skipFiles?: readonly string[];
}

/**
 * Patterns as view paths: relative, no leading `/` or `./`; a pattern that starts with the scanned directory as
 * given on the command line (`repo/sub` when scanning `dir:repo`) is taken relative to it.
 */
function normalise(pattern: string, root?: string): string {
  let p = pattern.replace(/^\.\//, '').replace(/^\/+/, '').replace(/\/+$/, '');
  const base = root?.replace(/^\.\//, '').replace(/^\/+/, '').replace(/\/+$/, '');
  if (base && p.startsWith(`${base}/`)) p = p.slice(base.length + 1);
  return p;
}

/**
 * A predicate over view paths (`usr/lib/x`, relative to the image or directory root) that is true for skipped
 * paths, or undefined when nothing is skipped. Globs follow picomatch (`**` crosses directories, dotfiles match).
 * @example skipMatcher({ skipDirs: ['**\/node_modules'] })?.('app/node_modules/x/package.json') // true
 */
export function skipMatcher(options: SkipOptions, root?: string): ((path: string) => boolean) | undefined {
  const dirs = (options.skipDirs ?? []).map((p) => normalise(p, root)).filter(Boolean);
  const files = (options.skipFiles ?? []).map((p) => normalise(p, root)).filter(Boolean);
  if (dirs.length === 0 && files.length === 0) return undefined;
  const dir = dirs.length ? picomatch(dirs, { dot: true }) : () => false;
  const file = files.length ? picomatch(files, { dot: true }) : () => false;
  return (path) => {
    if (file(path)) return true;
    for (let i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1))
      if (dir(path.slice(0, i))) return true;
    return false;
  };
}
