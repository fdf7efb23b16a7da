import type { PodSpecView } from '../objects/pod-spec.js';
import { runPssCheck } from '../pss/evaluate.js';
import { glob } from './helpers.js';
import type { EvalContext, Finding } from './types.js';

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
): Finding[] {
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
