import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { evaluateKyvernoPolicy } from '../src/hardening/kubernetes/kyverno/engine.js';
import { readKyvernoPolicies } from '../src/hardening/kubernetes/kyverno/posture.js';
import { walk } from '../src/hardening/kubernetes/objects/files.js';
import { loadObjects } from '../src/hardening/kubernetes/objects/load.js';
import { corpusPath } from '../test/corpus.js';
import { time } from './timing.js';
import type { Benchmark } from './types.js';

/**
 * The Kyverno pod-security and best-practices policies (every rule, autogen included) over the whole manifests
 * corpus — read, parse, load the policies and the objects, evaluate — against the floor: reading and
 * YAML-parsing the same manifest files in the same run.
 */
export const kyverno: Benchmark = {
  name: 'kyverno',
  description:
    'Kyverno pod-security + best-practices policies over the manifests corpus vs read + YAML-parse only',
  async run() {
    const root = corpusPath('manifests', 'kyverno-policies');
    const policyFiles = ['pod-security', 'best-practices']
      .flatMap((d) => walk(join(root, d)))
      .filter((f) => !f.includes('/.kyverno-test/'));
    const files = walk(corpusPath('manifests'));
    let policies = 0;
    let rules = 0;
    let objects = 0;
    let results = 0;
    let failed = 0;
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
      'bulkhead Kyverno engine',
      () => {
        const set = readKyvernoPolicies(policyFiles);
        const loaded = loadObjects(files.map((f) => ({ name: f, text: readFileSync(f, 'utf8') })));
        policies = set.policies.length;
        rules = set.policies.reduce((n, p) => n + p.rules.length, 0);
        objects = loaded.objects.length;
        results = 0;
        failed = 0;
        for (const policy of set.policies)
          for (const item of loaded.objects)
            for (const r of evaluateKyvernoPolicy(policy, item)) {
              results++;
              if (r.status === 'fail') failed++;
            }
      },
      3,
    );
    // the engine alone, on objects and policies already loaded: what the rules themselves cost
    const set = readKyvernoPolicies(policyFiles);
    const loaded = loadObjects(files.map((f) => ({ name: f, text: readFileSync(f, 'utf8') })));
    const engineOnly = await time(
      'rules only',
      () => {
        for (const policy of set.policies)
          for (const item of loaded.objects) evaluateKyvernoPolicy(policy, item);
      },
      3,
    );
    return {
      subject,
      baseline,
      target: '≤ 3× baseline',
      maxRatio: 3,
      notes: [
        `${policies} policies (${rules} rules), ${files.length} files, ${objects} objects, ${results} rule results (${failed} fail)`,
        `evaluation alone (objects and policies loaded): ${engineOnly.ms.toFixed(1)} ms`,
      ],
    };
  },
};
