import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from './open.js';

const mode = (path: string) => statSync(path).mode & 0o777;

describe('store files are the owner’s alone', () => {
  let root: string;
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('a first use creates home 0700 and the database, its WAL and shared memory 0600, whatever the umask', async () => {
    root = mkdtempSync(join(tmpdir(), 'bulkhead-private-'));
    const home = join(root, 'home');
    const warnings: string[] = [];
    const before = process.umask(0o022);
    try {
      const store = await openStore({ home, warn: (m) => warnings.push(m) });
      await store.db.selectFrom('users').selectAll().execute();
      expect(mode(home)).toBe(0o700);
      for (const file of ['bulkhead.db', 'bulkhead.db-wal', 'bulkhead.db-shm'])
        expect(mode(join(home, file))).toBe(0o600);
      await store.close();
    } finally {
      process.umask(before);
    }
    expect(warnings).toEqual([]);
  });

  it('tightens an existing home and database open to others, and says so', async () => {
    root = mkdtempSync(join(tmpdir(), 'bulkhead-private-'));
    const home = join(root, 'home');
    await (await openStore({ home })).close();
    chmodSync(home, 0o755);
    chmodSync(join(home, 'bulkhead.db'), 0o644);
    const warnings: string[] = [];
    await (await openStore({ home, warn: (m) => warnings.push(m) })).close();
    expect(mode(home)).toBe(0o700);
    expect(mode(join(home, 'bulkhead.db'))).toBe(0o600);
    expect(warnings).toEqual([
      expect.stringMatching(/home was readable by others \(mode 0755\); set to 0700/),
      expect.stringMatching(/bulkhead\.db was readable by others \(mode 0644\); set to 0600/),
    ]);
  });

  it('leaves the directory of a database outside home as it is', async () => {
    root = mkdtempSync(join(tmpdir(), 'bulkhead-private-'));
    const shared = join(root, 'shared');
    mkdirSync(shared, { mode: 0o755 });
    chmodSync(shared, 0o755);
    writeFileSync(join(root, 'marker'), '');
    await (await openStore({ home: join(root, 'home'), url: `sqlite:${join(shared, 'x.db')}` })).close();
    expect(mode(shared)).toBe(0o755);
    expect(mode(join(shared, 'x.db'))).toBe(0o600);
  });
});
