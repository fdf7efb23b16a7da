import type { PodSpecView } from '../objects/pod-spec.js';
import { runPssCheck } from '../pss/evaluate.js';
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
  return runPssCheck(id, pod, ctx.pssVersion)
    .filter((v) => !field || field(v.field))
    .map((v) => ({ message: v.message, field: v.field }));
}
