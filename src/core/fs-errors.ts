import { UserInputError } from './errors.js';

/** What a file-system error code means for the path the user gave, in words. */
const MEANINGS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory, expected a file',
  ENOTDIR: 'a component of the path is not a directory',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EEXIST: 'already exists',
  EMFILE: 'too many open files',
  ENXIO: 'no such device or address',
};

/** The code of a Node file-system error (`ENOENT`…), when `error` is one this module knows. */
export function fsErrorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code in MEANINGS ? code : undefined;
}

/**
 * One classifier for file-system failures: a known errno becomes a UserInputError naming `path` (or the
 * error's own path) with the reason in words, so every command says the same thing for the same mistake.
 * Anything else is returned unchanged.
 */
export function classifyFsError(error: unknown, path?: string, doing?: string): unknown {
  if (error instanceof UserInputError) return error;
  const code = fsErrorCode(error);
  if (!code) return error;
  const own = (error as { path?: unknown }).path;
  const input = path ?? (typeof own === 'string' ? own : 'file');
  return new UserInputError(input, `${doing ? `${doing}: ` : ''}${MEANINGS[code]} (${code})`, {
    cause: error,
  });
}
