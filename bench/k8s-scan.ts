import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { evaluate } from '../src/hardening/kubernetes/evaluate.js';
import { walk } from '../src/hardening/kubernetes/objects/files.js';
import { loadObjects } from '../src/hardening/kubernetes/objects/load.js';
import { corpusPath } from '../test/corpus.js';
import { time } from './timing.js';
import type { Benchmark } from './types.js';

/** The in-process scan of `files`: read, parse, normalise, every control. */
export function scanInProcess(files: readonly string[]): { objects: number; results: number } {
  const loaded = loadObjects(files.map((f) => ({ name: f, text: readFileSync(f, 'utf8') })));
  return { objects: loaded.objects.length, results: evaluate(loaded.objects).length };
}

/**
 * `k8s scan` of the whole manifests corpus (read, parse, normalise, every control, default standard) against the
 * floor: reading and YAML-parsing the same files in the same run.
 */
export const k8sScan: Benchmark = {
  name: 'k8s-scan',
  description: 'scan the whole manifests corpus (all controls) vs read + YAML-parse only',
  async run() {
    const files = walk(corpusPath('manifests'));
    let objects = 0;
    let results = 0;
    const baseline = await time(
      'read + YAML parse',
      () => {
        for (const f of files)
          for (const doc of parseAllDocuments(readFileSync(f, 'utf8'), { uniqueKeys: false }))
            doc.toJS({ maxAliasCount: 100 });
      },
      3,
    );
    const subject = await time(
      'bulkhead k8s scan',
      () => {
        ({ objects, results } = scanInProcess(files));
      },
      3,
    );
    return {
      subject,
      baseline,
      target: '≤ 2× baseline',
      maxRatio: 2,
      notes: [`${files.length} files, ${objects} objects, ${results} control results`],
    };
  },
};
