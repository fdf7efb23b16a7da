import { isBerkeleyDb, readBerkeleyDb } from '../rpm/bdb.js';
import { parseRpmHeader, parseSourceRpm } from '../rpm/header.js';
import { isNdb, readNdb } from '../rpm/ndb.js';
import { isSqlite, readRpmSqlite } from '../rpm/sqlite.js';
import { type Cataloger, type Found, MiB } from '../types.js';

/** The rpmdb in each of its places and formats. */
export const RPMDB_FILES: ReadonlySet<string> = new Set([
  'var/lib/rpm/Packages',
  'var/lib/rpm/Packages.db',
  'var/lib/rpm/rpmdb.sqlite',
  'usr/lib/sysimage/rpm/Packages',
  'usr/lib/sysimage/rpm/Packages.db',
  'usr/lib/sysimage/rpm/rpmdb.sqlite',
]);

export function evr(epoch: number | undefined, version: string, release: string): string {
  return `${epoch ? `${epoch}:` : ''}${version}${release ? `-${release}` : ''}`;
}

/** Package header blobs of an rpmdb in any of its three formats. */
export function rpmdbBlobs(data: Buffer): Buffer[] {
  if (isSqlite(data)) return readRpmSqlite(data);
  if (isNdb(data)) return readNdb(data);
  if (isBerkeleyDb(data)) return readBerkeleyDb(data);
  throw new Error('unknown rpmdb format');
}

/** RPM: the rpmdb (SQLite, Berkeley DB or NDB), read in process. */
export const rpm: Cataloger = {
  name: 'rpm',
  kind: 'os',
  version: 1,
  type: 'rpm',
  wants: (path) => (RPMDB_FILES.has(path) ? { maxBytes: 512 * MiB } : undefined),
  parse(file) {
    const found: Found[] = [];
    for (const blob of rpmdbBlobs(file.content)) {
      const h = parseRpmHeader(blob);
      if (!h || h.name === 'gpg-pubkey') continue;
      const src = h.sourceRpm ? parseSourceRpm(h.sourceRpm) : undefined;
      const qualifiers: Record<string, string> = {};
      if (h.arch) qualifiers.arch = h.arch;
      found.push({
        name: h.name,
        version: evr(h.epoch, h.version, h.release),
        sourceName: src?.name ?? h.name,
        sourceVersion: src ? evr(h.epoch, src.version, src.release) : evr(h.epoch, h.version, h.release),
        ...(h.license ? { licenses: [h.license] } : {}),
        qualifiers,
      });
    }
    return found;
  },
};
