import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { evaluate } from '../../../src/hardening/kubernetes/evaluate.js';
import { type Parameters, parametersSchema } from '../../../src/hardening/kubernetes/parameters/schema.js';
import type { CaseOutcome, ConformanceSuite } from '../types.js';
import { objectsOf, yamlFile } from './support.js';

interface PeerCheck {
  controls: string[];
  params?: Partial<Parameters>;
  kinds?: string[];
  /** kube-score's id of an optional check (off unless enabled, e.g. per object by `kube-score/enable`). */
  optional?: string;
}

interface Expectation {
  file: string;
  check: string;
  outcome: 'CRITICAL' | 'WARNING' | 'OK';
  runConfig?: Record<string, unknown>;
  test?: string;
}

const PODS = [
  'Pod',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
  'ReplicaSet',
  'ReplicationController',
];

/** kube-score check names (as printed) → catalogue rows. */
export const KUBE_SCORE_CHECKS: Readonly<Record<string, PeerCheck>> = {
  'Service Targets Pod': { controls: ['K8S-NET-13'], kinds: ['Service'] },
  'Ingress targets Service': { controls: ['K8S-NET-13'], kinds: ['Ingress'] },
  'Stable version': { controls: ['K8S-NS-08'] },
  'NetworkPolicy targets Pod': { controls: ['K8S-NET-03'], kinds: ['NetworkPolicy'] },
  'Pod NetworkPolicy': { controls: ['K8S-NET-01'], kinds: PODS },
  'Pod Probes': { controls: ['K8S-REL-01'], kinds: PODS, params: { probesOnlyWhenServiced: true } },
  'Pod Probes Identical': { controls: ['K8S-REL-03'], kinds: PODS },
  'StatefulSet has ServiceName': { controls: ['K8S-REL-13'], kinds: ['StatefulSet'] },
  'Deployment Replicas': { controls: ['K8S-REL-05'], kinds: ['Deployment'] },
  'Deployment has PodDisruptionBudget': {
    controls: ['K8S-REL-06'],
    kinds: ['Deployment'],
    params: { pdbMinReplicas: 0 },
  },
  'StatefulSet has PodDisruptionBudget': {
    controls: ['K8S-REL-06'],
    kinds: ['StatefulSet'],
    params: { pdbMinReplicas: 0 },
  },
  'PodDisruptionBudget has policy': { controls: ['K8S-REL-07'], kinds: ['PodDisruptionBudget'] },
  'Pod Topology Spread Constraints': {
    controls: ['K8S-REL-08'],
    kinds: PODS,
    params: { requireSpread: false },
  },
  'Deployment has host PodAntiAffinity': { controls: ['K8S-REL-08'], kinds: ['Deployment'] },
  'StatefulSet has host PodAntiAffinity': { controls: ['K8S-REL-08'], kinds: ['StatefulSet'] },
  'HorizontalPodAutoscaler has target': {
    controls: ['K8S-REL-09'],
    kinds: ['HorizontalPodAutoscaler'],
    params: { hpaMinReplicas: 0, minHpaSpread: 0 },
  },
  'HorizontalPodAutoscaler Replicas': {
    controls: ['K8S-REL-09'],
    kinds: ['HorizontalPodAutoscaler'],
    params: { hpaRequireTarget: false, minHpaSpread: 0 },
  },
  'Deployment targeted by HPA does not have replicas configured': {
    controls: ['K8S-REL-09'],
    kinds: ['Deployment'],
  },
  'Container Resources': { controls: ['K8S-RES-01', 'K8S-RES-02', 'K8S-RES-03'], kinds: PODS },
  'Container Image Pull Policy': { controls: ['K8S-IMG-05'], params: { allowedPullPolicies: ['Always'] } },
  'Container Image Tag': { controls: ['K8S-IMG-03'] },
  'Container Ephemeral Storage Request and Limit': { controls: ['K8S-RES-06'] },
  'Container Ephemeral Storage Request Equals Limit': {
    optional: 'container-ephemeral-storage-request-equals-limit',
    controls: ['K8S-RES-06'],
    params: { requireRequestsEqualLimits: true },
  },
  'Container Resource Requests Equal Limits': {
    optional: 'container-resource-requests-equal-limits',
    controls: ['K8S-RES-05'],
    params: { requireRequestsEqualLimits: true },
  },
  'Container Memory Requests Equal Limits': {
    optional: 'container-memory-requests-equal-limits',
    controls: ['K8S-RES-05'],
    params: { requireRequestsEqualLimits: true },
  },
  'Container CPU Requests Equal Limits': {
    optional: 'container-cpu-requests-equal-limits',
    controls: ['K8S-RES-05'],
    params: { requireRequestsEqualLimits: true },
  },
  'Service Type': { controls: ['K8S-NET-09'], kinds: ['Service'] },
  'StatefulSet Pod Selector labels match template metadata labels': {
    controls: ['K8S-REL-12'],
    kinds: ['StatefulSet'],
  },
  'Deployment Strategy': { controls: ['K8S-REL-10'], kinds: ['Deployment'] },
  'Container Ports Check': { controls: ['K8S-REL-15'], optional: 'container-ports-check' },
  'Container Seccomp Profile': { controls: ['K8S-POD-18'], optional: 'container-seccomp-profile' },
};

type RunConfig = Record<string, unknown>;

/**
 * kube-score's RunConfiguration fields, each translated: into parameters, or into which objects an optional
 * check scores. A field absent here fails the case.
 */
const RUN_CONFIG: Readonly<Record<string, (value: unknown) => Partial<Parameters>>> = {
  KubernetesVersion: (v) => ({ targetKubernetesVersion: String(v) }),
  MinReplicasDeployment: (v) => ({ minReplicas: Number(v) }),
  MinReplicasHPA: (v) => ({ hpaMinReplicas: Number(v) }),
  // Read where the subjects are chosen: an optional check scores only the objects that enable it.
  UseOptionalChecksAnnotation: () => ({}),
};

/** `kube-score/enable: id, id` names the optional checks an object turns on. */
function enables(object: { metadata: { annotations?: Record<string, string> } }, id: string): boolean {
  const listed = object.metadata.annotations?.['kube-score/enable'] ?? '';
  return listed.split(',').some((x) => x.trim() === id);
}

/** kube-score `expectations.json`: each file scored alone, one check, expected CRITICAL / WARNING / OK. */
export const kubeScoreSuite: ConformanceSuite = {
  name: 'kube-score',
  description: 'zegl/kube-score score tests (expectations.json over score/testdata)',
  defaultDir: 'manifests/kube-score',
  async *run(dir): AsyncIterable<CaseOutcome> {
    const doc = yamlFile<{ cases?: Expectation[] }>(join(dir, 'expectations.json'));
    for (const e of doc?.cases ?? []) {
      const file = join(dir, e.file);
      if (!existsSync(file)) continue;
      const id = `${e.test ?? e.file} (${e.check})`;
      const peer = KUBE_SCORE_CHECKS[e.check];
      if (!peer) {
        yield { id, verdict: 'failed', detail: `unknown kube-score check "${e.check}"` };
        continue;
      }
      const rc: RunConfig = e.runConfig ?? {};
      const unknown = Object.keys(rc).filter((k) => !Object.hasOwn(RUN_CONFIG, k));
      if (unknown.length) {
        yield { id, verdict: 'failed', detail: `runConfig ${unknown.join(', ')} has no translation` };
        continue;
      }
      const objects = objectsOf(file);
      const optionalOff = (o: (typeof objects)[number]) =>
        peer.optional !== undefined &&
        rc.UseOptionalChecksAnnotation === true &&
        !enables(o.object, peer.optional);
      const subjects = objects.filter(
        (o) => (!peer.kinds || peer.kinds.includes(o.object.kind)) && !optionalOff(o),
      );
      const parameters = parametersSchema.parse({
        ...peer.params,
        ...Object.assign({}, ...Object.entries(rc).map(([k, v]) => RUN_CONFIG[k]!(v))),
      });
      const results = evaluate(subjects, {
        controls: peer.controls,
        parameters,
        context: objects.filter((o) => !subjects.includes(o)),
      });
      const failed = results.filter((r) => r.status === 'fail');
      const expectFail = e.outcome !== 'OK';
      if (failed.length > 0 === expectFail) yield { id, verdict: 'passed' };
      else
        yield {
          id,
          verdict: 'failed',
          detail: expectFail
            ? `expected ${e.outcome}; ${results.length} results passed`
            : `expected OK; ${failed.map((r) => `${r.control}: ${r.message}`).join(' | ')}`,
        };
    }
  },
};
