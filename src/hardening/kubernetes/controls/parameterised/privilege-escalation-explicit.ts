import { sc } from '../../objects/pod-spec.js';
import { finding, onContainers } from '../helpers.js';
import type { ParameterisedCheck } from './types.js';

/** Only a container that sets allowPrivilegeEscalation: true fails (the PodSecurityPolicy rule, not PSS restricted). */
export const privilegeEscalationExplicit: ParameterisedCheck = {
  name: 'privilege-escalation-explicit',
  control: 'K8S-POD-13',
  mode: 'replace',
  configured: (p) => p.privilegeEscalationExplicitOnly,
  check: onContainers((c) =>
    sc(c).allowPrivilegeEscalation === true
      ? finding(
          `${c.label} sets allowPrivilegeEscalation: true`,
          `${c.path}.securityContext.allowPrivilegeEscalation`,
        )
      : undefined,
  ),
};
