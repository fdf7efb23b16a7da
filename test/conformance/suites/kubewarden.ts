import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { evaluate } from '../../../src/hardening/kubernetes/evaluate.js';
import { loadObjects } from '../../../src/hardening/kubernetes/objects/load.js';
import { type Parameters, parametersSchema } from '../../../src/hardening/kubernetes/parameters/schema.js';
import type { CaseOutcome, ConformanceSuite } from '../types.js';
import { filesUnder, rel } from './support.js';

type Settings = Record<string, unknown>;

interface PeerPolicy {
  controls: string[];
  params?: (s: Settings) => Partial<Parameters>;
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

/** Kubewarden policies whose checks are catalogue rows, with their settings as parameters. */
export const KUBEWARDEN_POLICIES: Readonly<Record<string, PeerPolicy>> = {
  'pod-privileged': { controls: ['K8S-POD-01'] },
  'pod-privileged-policy': { controls: ['K8S-POD-01'] },
  'allow-privilege-escalation-psp': { controls: ['K8S-POD-13'] },
  'host-namespaces-psp': {
    controls: ['K8S-POD-02', 'K8S-POD-03', 'K8S-POD-04', 'K8S-POD-05'],
    params: (s) => ({ allowHostNetwork: s.allow_host_network === true, hostPortRange: { min: 1, max: 0 } }),
  },
  'hostpaths-psp': {
    controls: ['K8S-POD-06', 'K8S-POD-07'],
    params: (s) => ({
      allowedHostPaths: (Array.isArray(s.allowedHostPaths) ? s.allowedHostPaths : []).map((h) => ({
        pathPrefix: String((h as Settings).pathPrefix),
        ...((h as Settings).readOnly === true ? { readOnly: true } : {}),
      })),
    }),
  },
  'psp-capabilities': {
    controls: ['K8S-POD-09', 'K8S-POD-11'],
    params: (s) => ({
      allowedCapabilities: list(s.allowed_capabilities),
      requiredDropCapabilities: list(s.required_drop_capabilities),
      restrictAddToNetBindService: false,
    }),
  },
  'readonly-root-filesystem-psp': { controls: ['K8S-POD-27'] },
  'sysctl-psp': {
    controls: ['K8S-POD-22'],
    params: (s) => ({ forbiddenSysctls: list(s.forbiddenSysctls), allowedSysctls: ['*'] }),
  },
  'volumes-psp': { controls: ['K8S-POD-25'], params: (s) => ({ allowedVolumeTypes: list(s.allowedTypes) }) },
  'flexvolume-drivers-psp': {
    controls: ['K8S-POD-26'],
    params: (s) => ({
      allowedFlexVolumeDrivers: (Array.isArray(s.allowedFlexVolumes) ? s.allowedFlexVolumes : []).map((d) =>
        String((d as Settings).driver),
      ),
    }),
  },
  'disallow-service-loadbalancer': { controls: ['K8S-NET-08'] },
  'disallow-service-nodeport': { controls: ['K8S-NET-09'] },
  'trusted-repos': {
    controls: ['K8S-IMG-01', 'K8S-IMG-03'],
    params: (s) => {
      const registries = (s.registries ?? {}) as Settings;
      const tags = (s.tags ?? {}) as Settings;
      return {
        allowedRegistries: list(registries.allow).map((r) => `${r}/`),
        disallowedTags: list(tags.reject),
      };
    },
  },
  'safe-labels': {
    controls: ['K8S-NS-03'],
    params: (s) => ({
      requiredLabels: list(s.mandatory_labels).map((key) => ({ key })),
      validateLabelValues: false,
    }),
  },
  'safe-annotations': {
    controls: ['K8S-NS-04'],
    params: (s) => ({ requiredAnnotations: list(s.mandatory_annotations).map((key) => ({ key })) }),
  },
};

interface Row {
  policy?: string;
  policyName?: string;
  file?: string;
  request?: string;
  requestPath?: string;
  settings?: Settings;
  allowed?: boolean;
  expected?: string;
  outcome?: string;
  name?: string;
}

function expectAllowed(row: Row): boolean | undefined {
  if (typeof row.allowed === 'boolean') return row.allowed;
  const word = String(row.expected ?? row.outcome ?? '').toLowerCase();
  if (['allow', 'allowed', 'accept', 'accepted', 'pass', 'true'].includes(word)) return true;
  if (['deny', 'denied', 'reject', 'rejected', 'fail', 'false'].includes(word)) return false;
  return undefined;
}

/**
 * Kubewarden policy tests as `expectations.json` rows over AdmissionReview request files: policy name, request
 * file (relative to the expectations file), settings and the expected `allowed`.
 */
export const kubewardenSuite: ConformanceSuite = {
  name: 'kubewarden',
  description: 'Kubewarden policy expectations over AdmissionReview bodies',
  defaultDir: 'manifests/kubewarden',
  async *run(dir): AsyncIterable<CaseOutcome> {
    for (const file of filesUnder(dir, (n) => n === 'expectations.json')) {
      const doc = JSON.parse(readFileSync(file, 'utf8')) as { cases?: Row[] } | Row[];
      const rows = Array.isArray(doc) ? doc : (doc.cases ?? []);
      for (const [i, row] of rows.entries()) {
        const policy = row.policy ?? row.policyName ?? '';
        const requestFile = row.file ?? row.request ?? row.requestPath ?? '';
        const id = `${rel(dir, dirname(file))}/${policy}/${row.name ?? requestFile ?? i}`;
        const peer = KUBEWARDEN_POLICIES[policy];
        if (!peer) {
          yield { id, verdict: 'not-implemented', detail: `Kubewarden policy ${policy}` };
          continue;
        }
        const path = join(dirname(file), requestFile);
        const allowed = expectAllowed(row);
        if (!existsSync(path) || allowed === undefined) continue;
        const { objects } = loadObjects([{ name: path, text: readFileSync(path, 'utf8') }]);
        if (objects.length === 0) {
          yield { id, verdict: 'failed', detail: `${requestFile} holds no object` };
          continue;
        }
        const parameters = parametersSchema.parse(peer.params?.(row.settings ?? {}) ?? {});
        const failed = evaluate(objects, { controls: peer.controls, parameters }).filter(
          (r) => r.status === 'fail',
        );
        if ((failed.length === 0) === allowed) yield { id, verdict: 'passed' };
        else
          yield {
            id,
            verdict: 'failed',
            detail: allowed
              ? `expected allowed; ${failed.map((r) => `${r.control}: ${r.message}`).join(' | ')}`
              : 'expected denied; no row failed',
          };
      }
    }
  },
};
