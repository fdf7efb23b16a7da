import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import { openStore } from '../src/store/index.js';
import { importSources } from '../src/vulndb/importer.js';
import { corpusPath } from '../test/corpus.js';
import type { Benchmark, Timing } from './types.js';

const SOURCES = () => [
  corpusPath('vulndb', 'osv', 'go', 'golang-vulndb', 'data', 'osv'),
  corpusPath('vulndb', 'osv', 'pypi', 'pypa-advisory-database', 'vulns'),
  corpusPath('vulndb', 'osv', 'crates', 'rustsec-advisory-db', 'crates'),
];

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => !f.split('/').some((p) => p.startsWith('.')))
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile());
}

/** The floor: read every file and parse it (JSON, YAML, or a RustSec file's TOML front matter), nothing else. */
function readAndParse(list: string[]): number {
  let n = 0;
  for (const f of list) {
    const text = readFileSync(f, 'utf8');
    if (f.endsWith('.json')) JSON.parse(text);
    else if (f.endsWith('.yaml')) parseYaml(text, { schema: 'failsafe', maxAliasCount: 100 });
    else if (f.endsWith('.md')) parseToml(/```toml\n([\s\S]*?)\n```/.exec(text)?.[1] ?? '');
    n++;
  }
  return n;
}

/** One warm-up each, then `rounds` alternating runs; the median of each side. */
async function interleaved(
  sides: [[string, () => unknown], [string, () => unknown]],
  rounds = 3,
): Promise<[Timing, Timing]> {
  for (const [, fn] of sides) await fn();
  const samples = sides.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) {
    for (const [i, [, fn]] of sides.entries()) {
      const start = process.hrtime.bigint();
      await fn();
      samples[i]!.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  const median = (i: number): Timing => {
    const sorted = samples[i]!.sort((a, b) => a - b);
    return { label: sides[i]![0], ms: sorted[Math.floor(sorted.length / 2)]! };
  };
  return [median(0), median(1)];
}

/**
 * Importing the Go + PyPI + RustSec OSV corpus into a fresh SQLite database (sniff, normalize, one
 * transaction per file, multi-row inserts) against reading and parsing the same files in the same run.
 */
export const dbImport: Benchmark = {
  name: 'db-import',
  description: 'import the Go+PyPI+RustSec advisory corpus (SQLite) vs read+parse of the same files',
  async run() {
    const sources = SOURCES();
    const list = sources.flatMap(files);
    const dir = mkdtempSync(join(tmpdir(), 'bulkhead-bench-db-'));
    let run = 0;
    let size = 0;
    let records = 0;
    try {
      const importOnce = async () => {
        const home = join(dir, `run-${run++}`);
        const store = await openStore({ url: `sqlite:${join(home, 'bulkhead.db')}`, home });
        const summary = await importSources(store.db, sources);
        records = summary.added;
        await store.close();
        size = statSync(join(home, 'bulkhead.db')).size;
        rmSync(home, { recursive: true, force: true });
      };
      // interleaved, so that load from other processes on the machine weighs on both sides alike
      const [subject, baseline] = await interleaved([
        ['bulkhead db import', importOnce],
        ['read + JSON/YAML/TOML parse', () => readAndParse(list)],
      ]);
      return {
        subject,
        baseline,
        target: '≤ 3× baseline',
        maxRatio: 3,
        notes: [
          `${list.length.toLocaleString('en')} files, ${records.toLocaleString('en')} records`,
          `SQLite database on disk: ${(size / 1024 / 1024).toFixed(1)} MiB`,
        ],
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
