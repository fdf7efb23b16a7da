import type { RuleContext } from '../../context.js';
import type { RuntimeEvent } from '../../event.js';
import { basename } from './host.js';

/**
 * What a multi-event row built an alert from when the stream has no EXECVE argv and no PATH records:
 * only SYSCALL records (process lineage, exe, syscall arguments, the audit rule's key).
 */
export const SYSCALL_ONLY = 'SYSCALL records only (no argv, no PATH)';

/**
 * An auditd event as evidence cites it: `audit(SEC.MS:SERIAL) <syscall> <exe basename> pid N`, the id that
 * `ausearch -a SERIAL` finds.
 */
export function recordRef(e: RuntimeEvent): string {
  const p = e.process;
  const what = e.syscall?.name ?? e.record?.type ?? e.kind;
  return `audit(${e.auditId ?? '?'}) ${what} ${basename(p?.exe) || p?.comm || '?'} pid ${p?.pid ?? '?'}`;
}

/**
 * The keys of the audit rule that logged an event (`-k a -k b` is logged as `a\x01b`).
 * @example keysOf({ key: 'bulkhead\u0001cron' }) // ['bulkhead', 'cron']
 */
export function keysOf(p: { key?: string } | undefined): string[] {
  return p?.key ? p.key.split('\x01') : [];
}

/** One step of a chain, remembered in a rule-context window until the chain completes. */
export interface ChainStep {
  step: string;
  ref: string;
}

/** Remember `step` of `e` under `key` for `windowMs`, and return the steps seen under `key` within the window. */
export function chainStep(
  ctx: RuleContext,
  key: string,
  e: RuntimeEvent,
  windowMs: number,
  step?: string,
): ChainStep[] {
  return ctx.window<ChainStep>(key, e.time, windowMs, step ? { step, ref: recordRef(e) } : undefined);
}

/** Steps in first-seen order, one line per record (the evidence's `records`). */
export function refs(steps: ChainStep[]): string[] {
  return [...new Set(steps.map((s) => `${s.step}: ${s.ref}`))];
}
