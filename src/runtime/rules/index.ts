import { compareNatural } from '../../core/collate.js';
import { dockerRules } from './docker.js';
import { hostAccountRules } from './host-accounts.js';
import { hostEvasionRules } from './host-evasion.js';
import { hostExecutionRules } from './host-execution.js';
import { hostMiningRules } from './host-mining.js';
import { hostNetworkRules } from './host-network.js';
import { hostToolRules } from './host-tools.js';
import { k8sAccessRules } from './k8s-access.js';
import { k8sActivityRules } from './k8s-activity.js';
import { k8sClusterRules } from './k8s-cluster.js';
import { k8sExposureRules } from './k8s-exposure.js';
import { k8sRbacRules } from './k8s-rbac.js';
import { k8sWorkloadRules } from './k8s-workloads.js';
import type { Rule } from './types.js';

/** Rule files of the catalogue, one per group; adding a group = one file + one line. */
export const RULE_FILES: Readonly<Record<string, readonly Rule[]>> = {
  docker: dockerRules,
  'host-accounts': hostAccountRules,
  'host-evasion': hostEvasionRules,
  'host-execution': hostExecutionRules,
  'host-mining': hostMiningRules,
  'host-network': hostNetworkRules,
  'host-tools': hostToolRules,
  'k8s-access': k8sAccessRules,
  'k8s-activity': k8sActivityRules,
  'k8s-cluster': k8sClusterRules,
  'k8s-exposure': k8sExposureRules,
  'k8s-rbac': k8sRbacRules,
  'k8s-workloads': k8sWorkloadRules,
};

/** Every built-in rule (the 136 catalogue rows), in catalogue order. */
export const RULES: readonly Rule[] = Object.values(RULE_FILES)
  .flat()
  .sort((a, b) => compareNatural(a.id, b.id));
