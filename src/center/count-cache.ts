import { dataVersion } from '../store/center-queries/data-version.js';
import type { CenterDeps } from './deps.js';

const MAX_ENTRIES = 256;

/**
 * Exact totals of lists, remembered until the database changes. Counting 200,000 index entries of a million
 * findings costs tens of milliseconds in SQLite, more than the page itself; a dashboard asks for the same filters
 * again and again between two reports. The cache is keyed by the filters and dropped whole on any write
 * (data-version.ts), so a total is never stale.
 */
export function createCountCache(deps: CenterDeps) {
  let version: string | null = null;
  const counts = new Map<string, number>();
  return async function cachedCount(key: string, count: () => Promise<number>): Promise<number> {
    const now = await dataVersion(deps.store);
    if (now === null) return count();
    if (now !== version) {
      counts.clear();
      version = now;
    }
    const known = counts.get(key);
    if (known !== undefined) return known;
    const n = await count();
    if (counts.size >= MAX_ENTRIES) counts.delete(counts.keys().next().value as string);
    // Only keep it when nothing was written while counting.
    if ((await dataVersion(deps.store)) === version) counts.set(key, n);
    return n;
  };
}
