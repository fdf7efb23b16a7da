import { annotationRules } from './annotation-rules.js';
import { appArmorAllowList } from './apparmor-allow-list.js';
import { envRules } from './env-rules.js';
import { imageExactList } from './image-exact-list.js';
import { ingressPorts } from './ingress-ports.js';
import { labelRules } from './label-rules.js';
import { priorityClassLists } from './priority-class-lists.js';
import { privilegeEscalationExplicit } from './privilege-escalation-explicit.js';
import { livenessProbeTiming, readinessProbeTiming } from './probe-timing.js';
import { psaMinimumLevel } from './psa-minimum-level.js';
import { runtimeClasses } from './runtime-classes.js';
import { selinuxAllowList } from './selinux-allow-list.js';
import { shareProcessNamespace } from './share-process-namespace.js';
import type { ParameterisedCheck } from './types.js';
import { volumeTypesSkipInit } from './volume-types-skip-init.js';

/** Generic rules a policy switches on with parameters, each under one catalogue row. Adding one = one file + one line. */
export const PARAMETERISED_CHECKS: readonly ParameterisedCheck[] = [
  annotationRules,
  appArmorAllowList,
  envRules,
  imageExactList,
  ingressPorts,
  labelRules,
  livenessProbeTiming,
  priorityClassLists,
  privilegeEscalationExplicit,
  psaMinimumLevel,
  readinessProbeTiming,
  runtimeClasses,
  selinuxAllowList,
  shareProcessNamespace,
  volumeTypesSkipInit,
];
