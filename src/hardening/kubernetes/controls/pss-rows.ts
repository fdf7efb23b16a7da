import type { PodSpecView } from '../objects/pod-spec.js';
import { runPssCheck } from '../pss/evaluate.js';
import { glob } from './helpers.js';
import type { ControlFailure, EvalContext } from './types.js';

/** True when the scan asks for the upstream Pod Security Standards verdicts (parameters are ignored). */
export function pssMode(ctx: EvalContext): boolean {
  return ctx.standard === 'pss-baseline' || ctx.standard === 'pss-restricted';
}

/** Findings of an upstream PSS check at the scan's policy version, optionally filtered by field. */
export function pssFindings(
  id: string,
  pod: PodSpecView,
  ctx: EvalContext,
  field?: (f: string) => boolean,
): ControlFailure[] {
  const exempt = pssMode(ctx) ? [] : exemptPaths(pod, ctx);
  return runPssCheck(id, pod, ctx.pssVersion)
    .filter((v) => !field || field(v.field))
    .filter((v) => !exempt.some((p) => v.field.startsWith(`${p}.`)))
    .map((v) => ({ message: v.message, field: v.field }));
}

/** Field paths of containers whose image is exempt (parameter exemptImages). */
export function exemptPaths(pod: PodSpecView, ctx: EvalContext): string[] {
  const exempt = ctx.params.exemptImages;
  if (exempt.length === 0) return [];
  return pod.containers
    .filter((c) => exempt.some((p) => glob(p, String(c.container.image ?? ''))))
    .map((c) => c.path);
}

/**
 * AppArmor profiles outside the allowed list (K8S-POD-19 with allowedAppArmorProfiles): annotation values and
 * appArmorProfile fields (RuntimeDefault = runtime/default, Localhost = localhost/<profile>, Unconfined =
 * unconfined) must match an entry (`*` globs). A container without a profile gets the runtime default and passes.
 */
export function appArmorOutsideList(
  pod: PodSpecView,
  annotations: Record<string, string>,
  allowed: readonly string[],
  exempt: readonly string[],
): ControlFailure[] {
  const name = (profile: unknown): string | undefined => {
    if (typeof profile !== 'object' || profile === null) return undefined;
    const { type, localhostProfile } = profile as { type?: unknown; localhostProfile?: unknown };
    if (type === 'RuntimeDefault') return 'runtime/default';
    if (type === 'Localhost') return `localhost/${String(localhostProfile ?? '')}`;
    return typeof type === 'string' ? type.toLowerCase() : undefined;
  };
  const ok = (p: string) => allowed.some((a) => a === p || glob(a, p));
  const podProfile = name((pod.securityContext as Record<string, unknown>).appArmorProfile);
  const out: ControlFailure[] = [];
  for (const c of pod.containers) {
    if (exempt.includes(c.path)) continue;
    const securityContext = (c.container.securityContext ?? {}) as Record<string, unknown>;
    const profile =
      name(securityContext.appArmorProfile) ??
      annotations[`container.apparmor.security.beta.kubernetes.io/${c.name}`] ??
      podProfile;
    if (profile && !ok(profile))
      out.push({
        message: `${c.label} AppArmor profile ${profile} is not allowed`,
        field: `${c.path}.securityContext.appArmorProfile`,
      });
  }
  return out;
}
