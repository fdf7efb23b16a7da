import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { walk } from '../src/hardening/kubernetes/objects/files.js';
import { corpusPath } from '../test/corpus.js';
import { CLI } from '../test/e2e/cli-support.js';
import { scanInProcess } from './k8s-scan.js';
import { time } from './timing.js';
import type { Benchmark } from './types.js';

const run = promisify(execFile);

/**
 * The whole `bulkhead k8s scan` of the manifests corpus as a user runs it (the built CLI: start-up, the scan, the
 * results stored in a fresh home, the JSON document written to a file) against the in-process scan of
 * bench/k8s-scan in the same run. Issue 14's target: ≤ 1.5×.
 */
export const k8sScanCli: Benchmark = {
  name: 'k8s-scan-cli',
  description:
    'the built CLI k8s scan of the manifests corpus (stored, JSON to a file) vs the in-process scan',
  async run() {
    const corpus = corpusPath('manifests');
    const files = walk(corpus);
    const dir = mkdtempSync(join(tmpdir(), 'bulkhead-bench-k8s-cli-'));
    let bytes = 0;
    try {
      const baseline = await time('in-process scan (bench/k8s-scan)', () => scanInProcess(files), 3);
      let n = 0;
      const subject = await time(
        'bulkhead k8s scan (CLI, stored, JSON to a file)',
        async () => {
          const home = join(dir, `home-${n}`);
          const out = join(dir, `scan-${n++}.json`);
          await run(
            process.execPath,
            [CLI, '--home', home, '--output', out, 'k8s', 'scan', corpus, '--format', 'json', '--quiet'],
            { maxBuffer: 64 * 1024 * 1024 },
          );
          bytes = statSync(out).size;
        },
        3,
      );
      return {
        subject,
        baseline,
        target: '≤ 1.5× the in-process scan',
        maxRatio: 1.5,
        notes: [`${files.length} files; JSON document ${(bytes / 1e6).toFixed(1)} MB`],
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
