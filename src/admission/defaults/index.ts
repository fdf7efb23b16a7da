import { allowPrivilegeEscalation } from './allow-privilege-escalation.js';
import { annotations } from './annotations.js';
import { dropAllCapabilities } from './drop-all-capabilities.js';
import { fsGroup } from './fs-group.js';
import { labels } from './labels.js';
import { runAsGroup } from './run-as-group.js';
import { runAsNonRoot } from './run-as-non-root.js';
import { runAsUser } from './run-as-user.js';
import { seccompProfile } from './seccomp-profile.js';
import type { AdmissionDefault } from './types.js';

export type { AdmissionDefault, DefaultScope } from './types.js';

/** Every Bulkhead-native default, by its key under `defaults:` in the AdmissionPolicy. */
export const ADMISSION_DEFAULTS: readonly AdmissionDefault<unknown>[] = [
  allowPrivilegeEscalation,
  annotations,
  dropAllCapabilities,
  fsGroup,
  labels,
  runAsGroup,
  runAsNonRoot,
  runAsUser,
  seccompProfile,
];
