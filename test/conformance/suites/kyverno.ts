import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { StandardSelection } from '../../../src/hardening/kubernetes/controls/types.js';
import { evaluate } from '../../../src/hardening/kubernetes/evaluate.js';
import type { LoadedObject } from '../../../src/hardening/kubernetes/objects/types.js';
import { type Parameters, parametersSchema } from '../../../src/hardening/kubernetes/parameters/schema.js';
import type { CaseOutcome, ConformanceSuite } from '../types.js';
import { filesUnder, objectsOf, rel, yamlFile } from './support.js';

interface PolicyRows {
  controls?: string[];
  standard?: StandardSelection;
  /** Rows a podSecurity subrule excludes. */
  without?: string[];
  params?: Partial<Parameters>;
}

/** Each Kyverno policy (all its rules, or `policy/rule` where rules differ) mapped to the catalogue rows that express it. */
export const KYVERNO_POLICIES: Readonly<Record<string, PolicyRows>> = {
  'disallow-default-namespace': { controls: ['K8S-NS-01'] },
  'require-ro-rootfs': { controls: ['K8S-POD-27'] },
  'disallow-latest-tag': { controls: ['K8S-IMG-03'] },
  'drop-all-capabilities': { controls: ['K8S-POD-11'], params: { restrictAddToNetBindService: false } },
  'require-requests-limits': { controls: ['K8S-RES-02', 'K8S-RES-03'] },
  'restrict-external-ips': { controls: ['K8S-NET-10'] },
  'restrict-image-registries': {
    controls: ['K8S-IMG-01'],
    params: { allowedRegistries: ['eu.foo.io/', 'bar.io/'] },
  },
  'disallow-empty-ingress-host': { controls: ['K8S-NET-05'], params: { allowWildcardIngressHost: true } },
  'check-deprecated-apis': { controls: ['K8S-NS-08'] },
  'require-labels': {
    controls: ['K8S-NS-03'],
    params: { requiredLabels: [{ key: 'app.kubernetes.io/name' }], validateLabelValues: false },
  },
  'disallow-capabilities': { controls: ['K8S-POD-09'] },
  'restrict-sysctls': { controls: ['K8S-POD-22'] },
  'disallow-host-ports-range': {
    controls: ['K8S-POD-05'],
    params: { hostPortRange: { min: 5000, max: 6000 } },
  },
  'disallow-selinux': { controls: ['K8S-POD-20'] },
  'disallow-host-process': { controls: ['K8S-POD-23'] },
  'disallow-host-path': { controls: ['K8S-POD-06'] },
  'restrict-apparmor-profiles': { controls: ['K8S-POD-19'] },
  'disallow-privileged-containers': { controls: ['K8S-POD-01'] },
  'podsecurity-subrule-restricted': { standard: 'pss-restricted' },
  'podsecurity-subrule-restricted-seccomp': {
    standard: 'pss-restricted',
    without: ['K8S-POD-17', 'K8S-POD-18'],
  },
  'podsecurity-subrule-baseline': { standard: 'pss-baseline' },
  'require-run-as-non-root-user': { controls: ['K8S-POD-15'] },
  'require-run-as-nonroot': { controls: ['K8S-POD-14'] },
  'disallow-capabilities-strict/require-drop-all': {
    controls: ['K8S-POD-11'],
    params: { restrictAddToNetBindService: false },
  },
  'disallow-capabilities-strict/adding-capabilities-strict': {
    controls: ['K8S-POD-11'],
    params: { requiredDropCapabilities: [] },
  },
  'restrict-volume-types': { controls: ['K8S-POD-25'] },
};

interface KyvernoTest {
  kind?: string;
  resources?: string[];
  results?: {
    policy: string;
    rule?: string;
    kind?: string;
    resources?: string[];
    resource?: string;
    result: string;
  }[];
}

/** Kyverno CLI tests (`.kyverno-test/kyverno-test.yaml`, `kind: Test`): per resource, per policy rule, pass/fail/skip. */
export const kyvernoSuite: ConformanceSuite = {
  name: 'kyverno',
  description: 'kyverno/policies CLI tests (pod-security, best-practices)',
  defaultDir: 'manifests/kyverno-policies',
  async *run(dir): AsyncIterable<CaseOutcome> {
    for (const file of filesUnder(dir, (n) => n === 'kyverno-test.yaml')) {
      const test = yamlFile<KyvernoTest>(file);
      if (test?.kind !== 'Test') continue;
      const base = dirname(file);
      const objects: LoadedObject[] = (test.resources ?? []).flatMap((r) =>
        existsSync(join(base, r)) ? objectsOf(join(base, r)) : [],
      );
      for (const result of test.results ?? []) {
        const rows =
          KYVERNO_POLICIES[`${result.policy}/${result.rule ?? ''}`] ?? KYVERNO_POLICIES[result.policy];
        for (const name of result.resources ?? (result.resource ? [result.resource] : [])) {
          const id = `${rel(dir, base)}/${result.policy}/${result.rule ?? ''}/${result.kind ?? ''}/${name}`;
          if (!rows) {
            yield { id, verdict: 'not-implemented', detail: `Kyverno policy ${result.policy}` };
            continue;
          }
          const short = name.includes('/') ? name.split('/').pop()! : name;
          const subject = objects.find(
            (o) => o.object.metadata.name === short && (!result.kind || o.object.kind === result.kind),
          );
          if (!subject) continue; // resource of a held-out file
          const parameters = parametersSchema.parse(rows.params ?? {});
          const results = evaluate([subject], {
            ...(rows.controls ? { controls: rows.controls } : {}),
            standard: rows.standard ?? 'all',
            parameters,
            context: objects.filter((o) => o !== subject),
          }).filter((r) => !rows.without?.includes(r.control));
          const failed = results.filter((r) => r.status === 'fail');
          const expectFail = result.result === 'fail';
          if (failed.length > 0 === expectFail) yield { id, verdict: 'passed' };
          else
            yield {
              id,
              verdict: 'failed',
              detail: expectFail
                ? `expected fail; ${results.length} results passed`
                : `expected ${result.result}; ${failed.map((r) => `${r.control}: ${r.message}`).join(' | ')}`,
            };
        }
      }
    }
  },
};
