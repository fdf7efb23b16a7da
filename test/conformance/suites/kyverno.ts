import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { evaluateKyvernoPolicy, type RuleResult } from '../../../src/hardening/kubernetes/kyverno/engine.js';
import {
  isKyvernoPolicy,
  type KyvernoPolicy,
  parseKyvernoPolicy,
} from '../../../src/hardening/kubernetes/kyverno/policy.js';
import type { LoadedObject } from '../../../src/hardening/kubernetes/objects/types.js';
import type { CaseOutcome, ConformanceSuite } from '../types.js';
import { filesUnder, objectsOf, rel, yamlFile } from './support.js';

type Rec = Record<string, unknown>;

/** Keys of a Kyverno CLI `Test` and of its results that this runner reads; any other key fails the case loudly. */
const TEST_KEYS = new Set(['apiVersion', 'kind', 'metadata', 'policies', 'resources', 'results']);
const RESULT_KEYS = new Set(['policy', 'rule', 'kind', 'resources', 'resource', 'result', 'namespace']);
/** Result keys that ask for what Bulkhead does not do (their reason code). */
const RESULT_FEATURES: Readonly<Record<string, string>> = {
  patchedResources: 'mutation',
  patchedResource: 'mutation',
  generatedResource: 'generate',
  cloneSourceResource: 'generate',
};

/** The policies a test names (its `policies` files), parsed by the engine: nothing is looked up by case name. */
function policiesOf(base: string, files: unknown): { policies: KyvernoPolicy[]; missing: string[] } {
  const policies: KyvernoPolicy[] = [];
  const missing: string[] = [];
  for (const f of Array.isArray(files) ? files.map(String) : []) {
    const path = join(base, f);
    if (!existsSync(path)) {
      missing.push(f);
      continue;
    }
    for (const o of objectsOf(path))
      if (isKyvernoPolicy(o.object)) policies.push(parseKyvernoPolicy(o.object, path));
  }
  return { policies, missing };
}

/** Kyverno CLI verdict of one rule result: a failing rule of an unscored policy is a warning. */
function verdictOf(policy: KyvernoPolicy, r: RuleResult | undefined): string {
  if (!r) return 'skip';
  if (r.status === 'fail' && policy.annotations['policies.kyverno.io/scored'] === 'false') return 'warn';
  return r.status;
}

/** Kyverno CLI tests (`.kyverno-test/kyverno-test.yaml`, `kind: Test`): per resource, per policy rule, pass/fail/skip. */
export const kyvernoSuite: ConformanceSuite = {
  name: 'kyverno',
  description:
    'kyverno/policies CLI tests (pod-security, best-practices), run on the policies beside each test',
  defaultDir: 'manifests/kyverno-policies',
  async *run(dir): AsyncIterable<CaseOutcome> {
    for (const file of filesUnder(dir, (n) => n === 'kyverno-test.yaml')) {
      const test = yamlFile<Rec>(file);
      if (test?.kind !== 'Test') continue;
      const base = dirname(file);
      const where = rel(dir, base);
      const unknown = Object.keys(test).filter((k) => !TEST_KEYS.has(k));
      if (unknown.length > 0) {
        yield {
          id: `${where}/${String((test.metadata as Rec)?.name ?? '')}`,
          verdict: 'failed',
          detail: `unknown Test keys: ${unknown.join(', ')}`,
        };
        continue;
      }
      const { policies, missing } = policiesOf(base, test.policies);
      const objects: LoadedObject[] = (
        Array.isArray(test.resources) ? test.resources.map(String) : []
      ).flatMap((r) => (existsSync(join(base, r)) ? objectsOf(join(base, r)) : []));
      for (const result of Array.isArray(test.results) ? (test.results as Rec[]) : []) {
        const names = Array.isArray(result.resources)
          ? result.resources.map(String)
          : typeof result.resource === 'string'
            ? [result.resource]
            : [];
        const ruleName = String(result.rule ?? '');
        const kind = typeof result.kind === 'string' ? result.kind : '';
        for (const name of names) {
          const id = `${where}/${String(result.policy)}/${ruleName}/${kind}/${name}`;
          const extra = Object.keys(result).filter((k) => !RESULT_KEYS.has(k));
          const feature = extra.find((k) => Object.hasOwn(RESULT_FEATURES, k));
          if (feature) {
            yield {
              id,
              verdict: 'not-implemented',
              detail: `${RESULT_FEATURES[feature]}: the case checks ${feature}`,
            };
            continue;
          }
          if (extra.length > 0) {
            yield { id, verdict: 'failed', detail: `unknown result keys: ${extra.join(', ')}` };
            continue;
          }
          const policy = policies.find((p) => p.name === result.policy);
          if (!policy) {
            yield {
              id,
              verdict: 'failed',
              detail: `policy ${String(result.policy)} is not in the test's policy files${missing.length ? ` (missing: ${missing.join(', ')})` : ''}`,
            };
            continue;
          }
          const rule = policy.rules.find(
            (r) =>
              r.name === ruleName ||
              `autogen-${r.name}` === ruleName ||
              `autogen-cronjob-${r.name}` === ruleName,
          );
          if (!rule) {
            yield { id, verdict: 'failed', detail: `policy ${policy.name} has no rule ${ruleName}` };
            continue;
          }
          const [ns, short] = name.includes('/')
            ? (name.split('/', 2) as [string, string])
            : [undefined, name];
          const subject = objects.find(
            (o) =>
              o.object.metadata.name === short &&
              (!kind || o.object.kind === kind) &&
              (ns === undefined || (o.object.metadata.namespace ?? 'default') === ns),
          );
          if (!subject) continue; // resource of a held-out file
          if (rule.unsupported) {
            yield {
              id,
              verdict: 'not-implemented',
              detail: `${rule.unsupported.code}: ${rule.unsupported.feature} (rule ${rule.name})`,
            };
            continue;
          }
          // the Kyverno CLI judges each resource as a CREATE request
          const item: LoadedObject = {
            ...subject,
            admission: { apiVersion: 'admission.k8s.io/v1', operation: 'CREATE' },
          };
          const results = evaluateKyvernoPolicy(policy, item);
          const r = results.find((x) => x.rule === rule.name);
          const got = verdictOf(policy, r);
          const want = String(result.result);
          if (got === want) yield { id, verdict: 'passed' };
          else
            yield {
              id,
              verdict: 'failed',
              detail: `expected ${want}, got ${got}${r?.message ? `: ${r.message}` : ''}`,
            };
        }
      }
    }
  },
};
