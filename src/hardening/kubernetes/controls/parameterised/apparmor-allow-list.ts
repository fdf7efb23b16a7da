import { isRecord } from '../../objects/load.js';
import { sc } from '../../objects/pod-spec.js';
import { finding, onContainers } from '../helpers.js';
import type { ParameterisedCheck } from './types.js';

/** A securityContext appArmorProfile in the annotation's spelling: runtime/default, unconfined, localhost/<name>. */
function spelled(profile: unknown): string | undefined {
  if (!isRecord(profile)) return undefined;
  if (profile.type === 'RuntimeDefault') return 'runtime/default';
  if (profile.type === 'Localhost') return `localhost/${String(profile.localhostProfile ?? '')}`;
  return typeof profile.type === 'string' ? profile.type.toLowerCase() : undefined;
}

/**
 * Each container's effective AppArmor profile — its own securityContext, else the per-container annotation, else
 * the pod's securityContext, else the default profile — must be in the allow-list.
 */
export const appArmorAllowList: ParameterisedCheck = {
  name: 'apparmor-allow-list',
  control: 'K8S-POD-19',
  mode: 'replace',
  configured: (p) => p.appArmorDefaultProfile !== undefined,
  check: onContainers((c, pod, ctx) => {
    const profile =
      spelled(sc(c).appArmorProfile) ??
      pod.metadata.annotations[`container.apparmor.security.beta.kubernetes.io/${c.name}`] ??
      spelled(pod.securityContext.appArmorProfile) ??
      ctx.params.appArmorDefaultProfile!;
    return (ctx.params.allowedAppArmorProfiles ?? []).includes(profile)
      ? undefined
      : finding(
          `${c.label} AppArmor profile ${profile} is not allowed`,
          `${c.path}.securityContext.appArmorProfile`,
        );
  }),
};
