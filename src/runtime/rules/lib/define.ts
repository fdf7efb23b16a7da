import type { RuleContext } from '../../context.js';
import type { ProcessInfo, RuntimeEvent } from '../../event.js';
import type { Match, Rule } from '../types.js';
import { execOf, procEvidence } from './host.js';

export type RuleMeta = Omit<Rule, 'when' | 'source' | 'evidence'> & { evidence?: string[] };

type ExecTest = (
  p: ProcessInfo,
  e: RuntimeEvent,
  ctx: RuleContext,
) => Record<string, unknown> | Match | undefined;

function toMatch(p: ProcessInfo, found: Record<string, unknown> | Match): Match {
  if ('evidence' in found && typeof found.evidence === 'object' && found.evidence !== null)
    return { ...(found as Match), evidence: procEvidence(p, (found as Match).evidence) };
  return { evidence: procEvidence(p, found as Record<string, unknown>) };
}

/** An auditd row over exec events. `cmdline: true` rows also read the command of Docker exec events. */
export function execRule(
  meta: RuleMeta & { cmdline?: boolean },
  test: ExecTest,
): Rule & { cmdline?: boolean } {
  return {
    evidence: ['exe', 'cmdline', 'pid', 'ppid', 'uid'],
    ...meta,
    source: 'auditd',
    when(e, ctx) {
      const p = execOf(e);
      if (!p) return undefined;
      const found = test(p, e, ctx);
      return found ? toMatch(p, found) : undefined;
    },
  };
}

/** An auditd row over any event kind (file events, connects, user-space records…). */
export function auditRule(
  meta: RuleMeta,
  test: (e: RuntimeEvent, ctx: RuleContext) => Record<string, unknown> | Match | undefined,
): Rule {
  return {
    evidence: ['exe', 'pid', 'path'],
    ...meta,
    source: 'auditd',
    when(e, ctx) {
      const found = test(e, ctx);
      if (!found) return undefined;
      const p = e.process ?? { pid: 0, argv: [] };
      return toMatch(p, found);
    },
  };
}
