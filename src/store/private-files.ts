import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * The store holds alert evidence, admission decisions, hashed credentials and encrypted secrets: its directory is
 * the owner's alone (0700) and its files too (0600). A fresh database file is created 0600 before SQLite opens it,
 * so the write-ahead log and shared-memory files SQLite makes beside it take the same mode. Existing files and the
 * home directory that are open to others are tightened, and `warn` says so once.
 */
export function preparePrivateStore(path: string, home: string, warn: (message: string) => void): void {
  const dir = dirname(path);
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  const homeDir = resolve(home);
  if (resolve(dir) === homeDir || resolve(dir).startsWith(`${homeDir}/`)) tighten(homeDir, 0o700, warn);
  if (!existsSync(path)) {
    closeSync(openSync(path, 'a', 0o600));
    chmodSync(path, 0o600); // whatever the umask
  }
}

/** Once SQLite has opened `path` as a database (never before: a file that is not one is left as it was). */
export function tightenStoreFiles(path: string, warn: (message: string) => void): void {
  tighten(path, 0o600, warn);
  // SQLite made these from the database's mode: said once, with the database
  for (const file of [`${path}-wal`, `${path}-shm`]) if (existsSync(file)) tighten(file, 0o600, () => {});
}

function tighten(path: string, mode: number, warn: (message: string) => void): void {
  let current: number;
  try {
    current = statSync(path).mode & 0o777;
  } catch {
    return;
  }
  if ((current & ~mode & 0o777) === 0) return;
  try {
    chmodSync(path, mode);
    warn(
      `warning: ${path} was readable by others (mode ${current.toString(8).padStart(4, '0')}); set to ${mode.toString(8).padStart(4, '0')}`,
    );
  } catch (error) {
    warn(
      `warning: ${path} is readable by others (mode ${current.toString(8)}) and could not be changed: ${(error as Error).message}`,
    );
  }
}
