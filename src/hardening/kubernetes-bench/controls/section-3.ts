import type { Control } from '../types.js';
import { flagSpec as f, manualControl, settingControl } from './helpers.js';

const review = (id: string, title: string, note: string, level: 1 | 2 = 1): Control =>
  manualControl({ id, title, target: 'controlplane', automated: false, level, note, remediation: note });

/** 3 Control Plane Configuration. */
export const section3: readonly Control[] = [
  review(
    '3.1.1',
    'Client certificate authentication should not be used for users',
    'use OIDC or another authentication for users; client certificates cannot be revoked',
  ),
  review(
    '3.1.2',
    'Service account token authentication should not be used for users',
    'service account tokens are for workloads; give users another authentication method',
  ),
  review(
    '3.1.3',
    'Bootstrap token authentication should not be used for users',
    'bootstrap tokens are for joining nodes; give users another authentication method',
  ),
  settingControl({
    id: '3.2.1',
    title: 'Ensure that a minimal audit policy is created',
    target: 'controlplane',
    automated: false,
    severity: 'MEDIUM',
    settings: [f('kube-apiserver', 'audit-policy-file', { op: 'set' }, 'fail')],
    remediation: 'Create an audit policy file and give it to the API server with --audit-policy-file.',
  }),
  review(
    '3.2.2',
    'Ensure that the audit policy covers key security concerns',
    'review the audit policy: access to Secrets, ConfigMaps and TokenReviews, pods/exec, pods/portforward, pods/proxy, services/proxy',
    2,
  ),
];
