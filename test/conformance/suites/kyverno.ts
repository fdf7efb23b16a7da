import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { evaluateKyvernoPolicy, type RuleResult } from '../../../src/hardening/kubernetes/kyverno/engine.js';
import {
  isPolicyException,
  parsePolicyException,
} from '../../../src/hardening/kubernetes/kyverno/exceptions.js';
import { mutateKyvernoPolicy } from '../../../src/hardening/kubernetes/kyverno/mutate/engine.js';
import {
  isKyvernoPolicy,
  type KyvernoPolicy,
  parseKyvernoPolicy,
} from '../../../src/hardening/kubernetes/kyverno/policy.js';
import { deepEqual } from '../../../src/hardening/kubernetes/kyverno/values.js';
import type { LoadedObject } from '../../../src/hardening/kubernetes/objects/types.js';
import type { CaseOutcome, ConformanceSuite, NotImplementedReason } from '../types.js';
import { filesUnder, objectsOf, rel, yamlFile } from './support.js';

type Rec = Record<string, unknown>;

/** Keys of a Kyverno CLI `Test` and of its results that this runner reads; any other key fails the case loudly. */
const TEST_KEYS = new Set([
  'apiVersion',
  'kind',
  'metadata',
  'policies',
  'resources',
  'results',
  'variables',
  'values',
  'userinfo',
  'exceptions',
]);
/** Keys of a Kyverno CLI values file (`kind: Values`) this runner reads. */
const VALUES_KEYS = new Set([
  'apiVersion',
  'kind',
  'metadata',
  'policies',
  'globalValues',
  'namespaceSelector',
]);
const VALUES_POLICY_KEYS = new Set(['name', 'rules', 'resources']);
const VALUES_RULE_KEYS = new Set(['name', 'values']);
const RESULT_KEYS = new Set([
  'policy',
  'rule',
  'kind',
  'resources',
  'resource',
  'result',
  'namespace',
  'patchedResources',
]);
/** Result keys that ask for what Bulkhead does not do (their reason code). */
const RESULT_FEATURES: Readonly<Record<string, NotImplementedReason>> = {
  isValidatingAdmissionPolicy: 'unsupported-feature',
  isValidatingPolicy: 'unsupported-feature',
  isMutatingPolicy: 'mutation',
  isGeneratingPolicy: 'generate',
  isImageValidatingPolicy: 'image-verification',
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

interface Values {
  global: Rec;
  rule: (policy: string, rule: string) => Rec | undefined;
  resource: (policy: string, resource: string) => Rec | undefined;
  namespaceLabels: Map<string, Record<string, string>>;
}

/**
 * The test's values (`variables: FILE` or inline `values:`), as the Kyverno CLI applies them: global values, then
 * a rule's, then a resource's. Returns a problem instead when the file has keys this runner does not read.
 */
function valuesOf(base: string, test: Rec): Values | { problem: string; code: 'failed' | 'not-implemented' } {
  let raw: Rec = {};
  if (typeof test.variables === 'string') {
    const path = join(base, test.variables);
    if (!existsSync(path)) return { problem: `values file ${test.variables} not found`, code: 'failed' };
    raw = yamlFile<Rec>(path) ?? {};
  } else if (test.values && typeof test.values === 'object') raw = test.values as Rec;
  const unknown = Object.keys(raw).filter((k) => !VALUES_KEYS.has(k));
  if (unknown.includes('subresources'))
    return { problem: 'unsupported-feature: values subresources', code: 'not-implemented' };
  if (unknown.length) return { problem: `unknown values keys: ${unknown.join(', ')}`, code: 'failed' };
  const policies = Array.isArray(raw.policies) ? (raw.policies as Rec[]) : [];
  for (const p of policies) {
    const extra = Object.keys(p).filter((k) => !VALUES_POLICY_KEYS.has(k));
    if (extra.length)
      return { problem: `unknown values keys: policies[].${extra.join(', ')}`, code: 'failed' };
    for (const r of Array.isArray(p.rules) ? (p.rules as Rec[]) : []) {
      const more = Object.keys(r).filter((k) => !VALUES_RULE_KEYS.has(k));
      if (more.includes('foreachValues'))
        return { problem: 'unsupported-feature: values foreachValues', code: 'not-implemented' };
      if (more.length) return { problem: `unknown values keys: rules[].${more.join(', ')}`, code: 'failed' };
    }
  }
  const find = (policy: string) => policies.find((p) => p.name === policy);
  const entryValues = (list: unknown, name: string) =>
    (Array.isArray(list) ? (list as Rec[]) : []).find((e) => e.name === name)?.values as Rec | undefined;
  return {
    global: (raw.globalValues as Rec | undefined) ?? {},
    rule: (policy, rule) => entryValues(find(policy)?.rules, rule),
    resource: (policy, resource) => entryValues(find(policy)?.resources, resource),
    namespaceLabels: new Map(
      (Array.isArray(raw.namespaceSelector) ? (raw.namespaceSelector as Rec[]) : []).map((n) => [
        String(n.name),
        (n.labels as Record<string, string>) ?? {},
      ]),
    ),
  };
}

/** The request's user from a `userinfo` file (`kind: UserInfo`), when the test names one. */
function userOf(base: string, test: Rec): { username?: string; groups?: string[] } | undefined {
  if (typeof test.userinfo !== 'string' || !existsSync(join(base, test.userinfo))) return undefined;
  const info = yamlFile<Rec>(join(base, test.userinfo));
  const u = (info?.userInfo ?? {}) as { username?: string; groups?: string[] };
  return { ...(u.username ? { username: u.username } : {}), ...(u.groups ? { groups: u.groups } : {}) };
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
      const values = valuesOf(base, test);
      const user = userOf(base, test);
      const exceptions = (Array.isArray(test.exceptions) ? test.exceptions.map(String) : []).flatMap((f) =>
        existsSync(join(base, f))
          ? objectsOf(join(base, f))
              .filter((o) => isPolicyException(o.object))
              .map((o) => parsePolicyException(o.object))
          : [],
      );
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
              reason: RESULT_FEATURES[feature]!,
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
          if ('problem' in values) {
            yield {
              id,
              verdict: values.code,
              ...(values.code === 'not-implemented' ? { reason: 'unsupported-feature' as const } : {}),
              detail: values.problem,
            };
            continue;
          }
          const supplied = {
            ...values.global,
            ...values.rule(policy.name, rule.name),
            ...values.resource(policy.name, name),
          };
          const covered = !rule.blocking && rule.external.every((e) => Object.hasOwn(supplied, e.name));
          if (rule.unsupported && !covered && !rule.mutate) {
            yield {
              id,
              verdict: 'not-implemented',
              reason: rule.unsupported.code,
              detail: `${rule.unsupported.code}: ${rule.unsupported.feature} (rule ${rule.name})`,
            };
            continue;
          }
          // the Kyverno CLI judges each resource as a CREATE request unless the values say otherwise
          const op = supplied['request.operation'];
          const item: LoadedObject = {
            ...subject,
            admission: {
              apiVersion: 'admission.k8s.io/v1',
              operation: typeof op === 'string' ? op : 'CREATE',
              ...(user ? { userInfo: user } : {}),
            },
          };
          const evalOptions = {
            values: () => supplied,
            exceptions,
            namespaceLabels: (ns: string) => values.namespaceLabels.get(ns),
          };
          if (rule.mutate) {
            // a mutate rule passes when it changes the resource, into the one the test records as patched
            const mutated = mutateKyvernoPolicy(policy, item, evalOptions);
            const m = mutated.results.find((x) => x.rule === rule.name);
            let got: string = m?.status ?? 'skip';
            const patchedFile =
              typeof result.patchedResources === 'string' ? join(base, result.patchedResources) : '';
            if (patchedFile) {
              const want = existsSync(patchedFile)
                ? objectsOf(patchedFile).find(
                    (o) => o.object.metadata.name === short && (!kind || o.object.kind === kind),
                  )
                : undefined;
              if (!want) {
                yield {
                  id,
                  verdict: 'failed',
                  detail: `patched resource ${short} not in ${result.patchedResources}`,
                };
                continue;
              }
              if (!deepEqual(mutated.object, want.object)) got = 'patched differently';
            }
            const want = String(result.result);
            if (got === want) yield { id, verdict: 'passed' };
            else
              yield {
                id,
                verdict: 'failed',
                detail: `expected ${want}, got ${got}${m?.message ? `: ${m.message}` : ''}`,
              };
            continue;
          }
          const results = evaluateKyvernoPolicy(policy, item, evalOptions);
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
