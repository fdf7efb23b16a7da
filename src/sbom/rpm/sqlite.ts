import Database from 'better-sqlite3';

export function isSqlite(data: Buffer): boolean {
  return data.length >= 100 && data.subarray(0, 16).toString('latin1') === 'SQLite format 3\u0000';
}

/** `rpmdb.sqlite` (RHEL 9, Fedora 33+, Mariner 2): the Packages table's header blobs, read in memory. */
export function readRpmSqlite(data: Buffer): Buffer[] {
  const copy = Buffer.from(data);
  // WAL-mode databases cannot be deserialized; the file itself is complete, so mark it rollback-journal
  if (copy[18] === 2) copy[18] = 1;
  if (copy[19] === 2) copy[19] = 1;
  const db = new Database(copy, { readonly: true });
  try {
    return db
      .prepare('SELECT blob FROM Packages')
      .all()
      .map((r) => (r as { blob: Buffer }).blob)
      .filter((b) => Buffer.isBuffer(b));
  } finally {
    db.close();
  }
}
