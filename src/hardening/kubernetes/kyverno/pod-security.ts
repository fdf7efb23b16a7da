import type { PodSpecView } from '../objects/pod-spec.js';
import { evaluatePss } from '../pss/evaluate.js';
import type { PssLevel, PssViolation } from '../pss/types.js';
import { LATEST_PSS_VERSION, parsePssVersion } from '../pss/version.js';
import { isObject } from './values.js';
import { wildcardMatch } from './wildcard.js';

/** Kyverno's podSecurity control names (its public vocabulary) to the upstream check ids they cover. */
const CONTROL_CHECKS: Readonly<Record<string, readonly string[]>> = {
  HostProcess: ['windowsHostProcess'],
  'Host Namespaces': ['hostNamespaces'],
  'Privileged Containers': ['privileged'],
  Capabilities: ['capabilities_baseline', 'capabilities_restricted'],
  'HostPath Volumes': ['hostPathVolumes'],
  'Host Ports': ['hostPorts'],
  'Host Probes / Lifecycle Hooks': ['hostProbesAndHostLifecycle'],
  AppArmor: ['appArmorProfile'],
  SELinux: ['seLinuxOptions'],
  '/proc Mount Type': ['procMount', 'procMount_restricted'],
  Seccomp: ['seccompProfile_baseline', 'seccompProfile_restricted'],
  Sysctls: ['sysctls'],
  'Volume Types': ['restrictedVolumes'],
  'Privilege Escalation': ['allowPrivilegeEscalation'],
  'Running as Non-root': ['runAsNonRoot'],
  'Running as Non-root user': ['runAsUser'],
};

export function knownControl(name: string): boolean {
  return Object.hasOwn(CONTROL_CHECKS, name);
}

function containerOf(pod: PodSpecView, v: PssViolation) {
  return pod.containers.find((c) => v.field === c.path || v.field.startsWith(`${c.path}.`));
}

/**
 * Violations of a `validate.podSecurity` subrule: the level's checks at the version, less the excluded
 * controls — pod-level fields when an exclusion names no images, the containers whose image matches otherwise.
 */
export function podSecurityViolations(pod: PodSpecView, subrule: Record<string, unknown>): PssViolation[] {
  const level: PssLevel = subrule.level === 'restricted' ? 'restricted' : 'baseline';
  const version =
    typeof subrule.version === 'string' && subrule.version !== 'latest'
      ? parsePssVersion(subrule.version)
      : LATEST_PSS_VERSION;
  const excludes = Array.isArray(subrule.exclude) ? subrule.exclude.filter(isObject) : [];
  return evaluatePss(pod, level, version).violations.filter((v) => {
    const container = containerOf(pod, v);
    return !excludes.some((e) => {
      const checks = CONTROL_CHECKS[String(e.controlName)] ?? [];
      if (!checks.includes(v.check)) return false;
      const images = Array.isArray(e.images) ? e.images.map(String) : [];
      if (images.length === 0) return container === undefined;
      const image = container ? String(container.container.image ?? '') : undefined;
      return image !== undefined && images.some((p) => wildcardMatch(p, image));
    });
  });
}
