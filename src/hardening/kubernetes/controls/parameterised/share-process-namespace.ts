import { finding, onPod } from '../helpers.js';
import type { ParameterisedCheck } from './types.js';

/** shareProcessNamespace: true lets every container of the pod see and signal the others' processes. */
export const shareProcessNamespace: ParameterisedCheck = {
  name: 'share-process-namespace',
  control: 'K8S-POD-02',
  mode: 'add',
  configured: (p) => p.denyShareProcessNamespace,
  check: onPod((pod) =>
    pod.spec.shareProcessNamespace === true
      ? [
          finding(
            'pod shares one process namespace among its containers',
            `${pod.path}.shareProcessNamespace`,
          ),
        ]
      : [],
  ),
};
