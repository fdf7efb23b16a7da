import type { Control } from '../types.js';
import { flagSpec as f, settingControl } from './helpers.js';

const CM = 'kube-controller-manager' as const;
const S = 'kube-scheduler' as const;
const editCm = (fix: string) =>
  `Edit the controller manager pod specification (/etc/kubernetes/manifests/kube-controller-manager.yaml on kubeadm) and ${fix}`;
const editS = (fix: string) =>
  `Edit the scheduler pod specification (/etc/kubernetes/manifests/kube-scheduler.yaml on kubeadm) and ${fix}`;

/** 1.3 Controller Manager and 1.4 Scheduler. */
export const section1Components: readonly Control[] = [
  settingControl({
    id: '1.3.1',
    title: 'Ensure that the --terminated-pod-gc-threshold argument is set as appropriate',
    target: 'master',
    automated: false,
    severity: 'LOW',
    settings: [f(CM, 'terminated-pod-gc-threshold', { op: 'set' }, 'fail')],
    remediation: editCm('set --terminated-pod-gc-threshold, e.g. 10.'),
  }),
  settingControl({
    id: '1.3.2',
    title: 'Ensure that the --profiling argument is set to false',
    target: 'master',
    automated: true,
    severity: 'LOW',
    settings: [f(CM, 'profiling', { op: 'eq', value: 'false' }, 'fail')],
    remediation: editCm('set --profiling=false.'),
  }),
  settingControl({
    id: '1.3.3',
    title: 'Ensure that the --use-service-account-credentials argument is set to true',
    target: 'master',
    automated: true,
    severity: 'MEDIUM',
    settings: [f(CM, 'use-service-account-credentials', { op: 'noteq', value: 'false' }, 'fail')],
    remediation: editCm('set --use-service-account-credentials=true.'),
  }),
  settingControl({
    id: '1.3.4',
    title: 'Ensure that the --service-account-private-key-file argument is set as appropriate',
    target: 'master',
    automated: true,
    severity: 'MEDIUM',
    settings: [f(CM, 'service-account-private-key-file', { op: 'set' }, 'fail')],
    remediation: editCm('set --service-account-private-key-file to the service account signing key.'),
  }),
  settingControl({
    id: '1.3.5',
    title: 'Ensure that the --root-ca-file argument is set as appropriate',
    target: 'master',
    automated: true,
    severity: 'MEDIUM',
    settings: [f(CM, 'root-ca-file', { op: 'set' }, 'fail')],
    remediation: editCm('set --root-ca-file to the cluster CA.'),
  }),
  settingControl({
    id: '1.3.6',
    title: 'Ensure that the RotateKubeletServerCertificate argument is set to true',
    target: 'master',
    automated: true,
    severity: 'MEDIUM',
    settings: [
      f(CM, 'feature-gates', { op: 'nothave', value: 'RotateKubeletServerCertificate=false' }, 'pass'),
    ],
    remediation: editCm(
      'remove RotateKubeletServerCertificate=false from --feature-gates (true by default).',
    ),
  }),
  settingControl({
    id: '1.3.7',
    title: 'Ensure that the --bind-address argument is set to 127.0.0.1',
    target: 'master',
    automated: true,
    severity: 'MEDIUM',
    settings: [f(CM, 'bind-address', { op: 'eq', value: '127.0.0.1' }, 'pass')],
    remediation: editCm('set --bind-address=127.0.0.1.'),
  }),
  settingControl({
    id: '1.4.1',
    title: 'Ensure that the --profiling argument is set to false',
    target: 'master',
    automated: true,
    severity: 'LOW',
    settings: [f(S, 'profiling', { op: 'eq', value: 'false' }, 'fail')],
    remediation: editS('set --profiling=false.'),
  }),
  settingControl({
    id: '1.4.2',
    title: 'Ensure that the --bind-address argument is set to 127.0.0.1',
    target: 'master',
    automated: true,
    severity: 'MEDIUM',
    settings: [f(S, 'bind-address', { op: 'eq', value: '127.0.0.1' }, 'pass')],
    remediation: editS('set --bind-address=127.0.0.1.'),
  }),
];
