import { rowsAnchoredTo } from '../../kubernetes/controls/anchors.js';
import type { Control } from '../types.js';
import { policyControl } from './helpers.js';

/**
 * id, title, level, the CIS numbers the posture catalogue anchors the same check to (earlier benchmark versions
 * numbered some differently: 5.2.10–5.2.12 were 5.2.11–5.2.13, 5.6 was 5.7), remediation.
 */
const ROWS: [string, string, 1 | 2, string[], string][] = [
  [
    '5.1.1',
    'Ensure that the cluster-admin role is only used where required',
    1,
    ['5.1.1'],
    'Bind cluster-admin only where needed; use narrower roles.',
  ],
  [
    '5.1.2',
    'Minimize access to secrets',
    1,
    ['5.1.2'],
    'Remove get, list and watch on Secrets from roles that do not need them.',
  ],
  [
    '5.1.3',
    'Minimize wildcard use in Roles and ClusterRoles',
    1,
    ['5.1.3'],
    'Replace * in roles with the resources and verbs needed.',
  ],
  [
    '5.1.4',
    'Minimize access to create pods',
    1,
    ['5.1.4'],
    'Remove create on pods from roles that do not need it.',
  ],
  [
    '5.1.5',
    'Ensure that default service accounts are not actively used',
    1,
    ['5.1.5'],
    'Give workloads their own service accounts; set automountServiceAccountToken: false on default.',
  ],
  [
    '5.1.6',
    'Ensure that Service Account Tokens are only mounted where necessary',
    1,
    ['5.1.6'],
    'Set automountServiceAccountToken: false where the API is not used.',
  ],
  [
    '5.1.7',
    'Avoid use of system:masters group',
    1,
    ['5.1.7'],
    'Remove system:masters from credentials and bindings.',
  ],
  [
    '5.1.8',
    'Limit use of the Bind, Impersonate and Escalate permissions in the Kubernetes cluster',
    1,
    ['5.1.8'],
    'Remove bind, impersonate and escalate from roles that do not need them.',
  ],
  [
    '5.1.9',
    'Minimize access to create persistent volumes',
    1,
    ['5.1.9'],
    'Remove create on persistentvolumes where not needed.',
  ],
  [
    '5.1.10',
    'Minimize access to the proxy sub-resource of nodes',
    1,
    ['5.1.10'],
    'Remove access to nodes/proxy.',
  ],
  [
    '5.1.11',
    'Minimize access to the approval sub-resource of certificatesigningrequests objects',
    1,
    ['5.1.11'],
    'Remove update on certificatesigningrequests/approval.',
  ],
  [
    '5.1.12',
    'Minimize access to webhook configuration objects',
    1,
    ['5.1.12'],
    'Remove write access to webhook configurations.',
  ],
  [
    '5.1.13',
    'Minimize access to the service account token creation',
    1,
    ['5.1.13'],
    'Remove create on serviceaccounts/token.',
  ],
  [
    '5.2.1',
    'Ensure that the cluster has at least one active policy control mechanism in place',
    1,
    ['5.2.1'],
    'Enforce Pod Security Admission or a policy engine in every namespace with workloads.',
  ],
  [
    '5.2.2',
    'Minimize the admission of privileged containers',
    1,
    ['5.2.2'],
    'Do not admit privileged containers (Pod Security baseline).',
  ],
  [
    '5.2.3',
    'Minimize the admission of containers wishing to share the host process ID namespace',
    1,
    ['5.2.3'],
    'Do not admit hostPID pods.',
  ],
  [
    '5.2.4',
    'Minimize the admission of containers wishing to share the host IPC namespace',
    1,
    ['5.2.4'],
    'Do not admit hostIPC pods.',
  ],
  [
    '5.2.5',
    'Minimize the admission of containers wishing to share the host network namespace',
    1,
    ['5.2.5'],
    'Do not admit hostNetwork pods.',
  ],
  [
    '5.2.6',
    'Minimize the admission of containers with allowPrivilegeEscalation',
    1,
    ['5.2.6'],
    'Set allowPrivilegeEscalation: false.',
  ],
  ['5.2.7', 'Minimize the admission of root containers', 2, ['5.2.7'], 'Set runAsNonRoot: true.'],
  [
    '5.2.8',
    'Minimize the admission of containers with the NET_RAW capability',
    1,
    ['5.2.8'],
    'Drop NET_RAW (or ALL).',
  ],
  [
    '5.2.9',
    'Minimize the admission of containers with capabilities assigned',
    2,
    ['5.2.9', '5.2.10'],
    'Drop ALL capabilities and add only what is needed.',
  ],
  [
    '5.2.10',
    'Minimize the admission of Windows HostProcess containers',
    1,
    ['5.2.11'],
    'Do not admit Windows HostProcess pods.',
  ],
  ['5.2.11', 'Minimize the admission of HostPath volumes', 1, ['5.2.12'], 'Do not admit hostPath volumes.'],
  [
    '5.2.12',
    'Minimize the admission of containers which use HostPorts',
    1,
    ['5.2.13'],
    'Do not admit hostPort.',
  ],
  [
    '5.3.1',
    'Ensure that the CNI in use supports NetworkPolicies',
    1,
    ['5.3.1'],
    'Use a CNI that enforces NetworkPolicy.',
  ],
  [
    '5.3.2',
    'Ensure that all Namespaces have NetworkPolicies defined',
    2,
    ['5.3.2'],
    'Give every namespace a NetworkPolicy (default deny first).',
  ],
  [
    '5.4.1',
    'Prefer using Secrets as files over Secrets as environment variables',
    2,
    ['5.4.1'],
    'Mount Secrets as files instead of environment variables.',
  ],
  [
    '5.4.2',
    'Consider external secret storage',
    2,
    ['5.4.2'],
    'Keep secrets in an external store (KMS, Vault, …).',
  ],
  [
    '5.5.1',
    'Configure Image Provenance using ImagePolicyWebhook admission controller',
    2,
    ['5.5.1'],
    'Verify image signatures at admission.',
  ],
  [
    '5.6.1',
    'Create administrative boundaries between resources using namespaces',
    1,
    ['5.7.1'],
    'Separate teams and applications into namespaces.',
  ],
  [
    '5.6.2',
    'Ensure that the seccomp profile is set to docker/default in your Pod definitions',
    2,
    ['5.7.2'],
    'Set seccompProfile: RuntimeDefault.',
  ],
  [
    '5.6.3',
    'Apply SecurityContext to your Pods and Containers',
    2,
    ['5.7.3'],
    'Give every pod and container a securityContext.',
  ],
  [
    '5.6.4',
    'The default namespace should not be used',
    2,
    ['5.7.4'],
    'Move workloads out of the default namespace.',
  ],
];

/**
 * 5 Policies, all Manual in v1.12: judged on the live cluster by the posture engine's catalogue rows anchored to
 * the same CIS number (a failing row gives `warn`, to review), `manual` where no row exists.
 */
export const section5: readonly Control[] = ROWS.map(([id, title, level, anchors, remediation]) => {
  const legacy = anchors.filter((a) => a !== id);
  return policyControl({
    id,
    ...(legacy.length ? { legacyId: legacy.join('/') } : {}),
    title,
    target: 'policies',
    level,
    automated: false,
    severity: 'MEDIUM',
    rows: [...new Set(anchors.flatMap((a) => rowsAnchoredTo(`CIS:${a}`)))],
    remediation,
  });
});
