import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The shared, read-only corpus beside the repository (`../shared/corpus`), or $BULKHEAD_CORPUS. */
export const CORPUS_ROOT = resolve(
  process.env.BULKHEAD_CORPUS ?? join(fileURLToPath(new URL('../..', import.meta.url)), 'shared', 'corpus'),
);

/** Path of a corpus file or folder; throws with a clear message when the corpus is absent. */
export function corpusPath(...parts: string[]): string {
  const path = join(CORPUS_ROOT, ...parts);
  if (!existsSync(path))
    throw new Error(`corpus path missing: ${path} (is ../shared beside the repository?)`);
  return path;
}
