import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import type { ControlResult } from '../src/core/results.js';
import { evaluate } from '../src/hardening/kubernetes/evaluate.js';
import { walk } from '../src/hardening/kubernetes/objects/files.js';
import { loadObjects } from '../src/hardening/kubernetes/objects/load.js';
import { openStore, saveControlResults, saveControlScan } from '../src/store/index.js';
import { corpusPath } from '../test/corpus.js';
import { time } from './timing.js';
import type { Benchmark } from './types.js';

const N = 5_000;

function results(): ControlResult[] {
  return Array.from({ length: N }, (_, i) => ({
    control: `5.${i % 32}`,
    title: 'Ensure privileged containers are not used',
    severity: 'HIGH',
    standards: ['cis-docker'],
    resource: {
      type: 'container',
      id: `c${i % 400}`,
      name: `/app-${i % 400}`,
      parent: { type: 'host', id: 'bench' },
    },
    status: i % 3 === 0 ? 'fail' : 'pass',
    message: 'privileged: true',
    evidence: { privileged: true, index: i },
    remediation: 'drop --privileged',
  }));
}

/** Bytes of a SQLite store on disk (main file and write-ahead log). */
function storeBytes(file: string): number {
  return [file, `${file}-wal`].reduce((n, f) => n + (existsSync(f) ? statSync(f).size : 0), 0);
}

/**
 * What one `k8s scan` of the manifests corpus adds to a store (the target: ≤ 10 MB), for the default
 * (security) standards and for all controls.
 */
async function corpusScanSize(dir: string): Promise<string[]> {
  const files = walk(corpusPath('manifests'));
  const loaded = loadObjects(files.map((f) => ({ name: f, text: readFileSync(f, 'utf8') })));
  const notes: string[] = [];
  for (const standard of ['security', 'all'] as const) {
    const file = join(dir, `corpus-${standard}.db`);
    const store = await openStore({ url: `sqlite:${file}`, home: dir });
    await store.close();
    const before = storeBytes(file);
    const results = evaluate(loaded.objects, { standard });
    const again = await openStore({ url: `sqlite:${file}`, home: dir });
    await saveControlScan(again.db, 'k8s', 'manifests corpus', results);
    await again.close();
    const added = (storeBytes(file) - before) / 1_048_576;
    notes.push(
      `manifests corpus k8s scan (--standard ${standard}, ${results.length.toLocaleString('en')} results) adds ${added.toFixed(1)} MB to the store (target ≤ 10 MB for the default)`,
    );
  }
  return notes;
}

/**
 * Saving a scan's control results through the store (Kysely, resources upserted, one transaction) against the
 * floor: the same rows written by raw better-sqlite3 prepared statements in one transaction.
 */
export const storeWrite: Benchmark = {
  name: 'store-write',
  description: `save ${N.toLocaleString('en')} control results (SQLite) vs raw prepared inserts`,
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'bulkhead-bench-'));
    const rows = results();
    try {
      const store = await openStore({ url: `sqlite:${join(dir, 'kysely.db')}`, home: dir });
      const subject = await time('bulkhead store', () => saveControlResults(store.db, null, rows), 3);
      await store.close();

      const raw = new SqliteDatabase(join(dir, 'raw.db'));
      raw.pragma('journal_mode = WAL');
      raw.pragma('synchronous = NORMAL');
      raw.exec(
        'CREATE TABLE r (id INTEGER PRIMARY KEY, resource_key TEXT, control TEXT, status TEXT, severity TEXT, message TEXT, data TEXT, recorded_at TEXT)',
      );
      const insert = raw.prepare(
        'INSERT INTO r (resource_key, control, status, severity, message, data, recorded_at) VALUES (?,?,?,?,?,?,?)',
      );
      const writeAll = raw.transaction(() => {
        const at = new Date().toISOString();
        for (const r of rows)
          insert.run(
            `host:bench/container:${r.resource.id}`,
            r.control,
            r.status,
            r.severity,
            r.message,
            JSON.stringify(r),
            at,
          );
      });
      const baseline = await time('raw better-sqlite3', () => writeAll(), 3);
      raw.close();
      return { subject, baseline, notes: await corpusScanSize(dir) };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
