import { z } from 'zod';
import type { ResourceRef } from '../../core/resource.js';
import type { Severity } from '../../core/severity.js';
import type { RuleContext } from '../context.js';
import type { RuntimeEvent, SourceName } from '../event.js';

/** Catalogue severity words; Info and Debug are reported as LOW (the contract has five severities). */
export type CatalogueSeverity = 'Critical' | 'High' | 'Medium' | 'Low' | 'Info' | 'Debug';

/** What a firing rule returns: the evidence it shows and, optionally, extra de-duplication keys. */
export interface Match {
  evidence: Record<string, unknown>;
  /** Key fields beyond rule × resource that separate alerts (e.g. the exec command). */
  key?: string;
  /** Resource the alert concerns when it is not the event's own (e.g. the container of a process). */
  resource?: ResourceRef;
  /** Severity for this firing when it differs from the rule's (e.g. by threat-intel category). */
  severity?: CatalogueSeverity;
}

/**
 * One catalogue row as a rule: metadata plus a condition over the normalised event.
 * @example { id: 'RT-K8S-07', title: 'NodePort service created', source: 'k8s-audit', when: (e) => … }
 */
export interface Rule {
  id: string;
  title: string;
  severity: CatalogueSeverity;
  tactic: string;
  technique?: string;
  source: SourceName;
  /**
   * k8s-audit rows: the `objectRef.resource` values the row can fire on (an index, so that an event is only
   * evaluated by the rows that concern it). Absent = any event.
   */
  resources?: readonly string[];
  /** Off unless enabled (Falco's disabled-by-default rules, opt-in rows). */
  disabledByDefault?: boolean;
  /** Audit-trail rows, switched off as a group with `activity: false`. */
  activity?: boolean;
  /** Falco rule names and Defender alert types this row maps to. */
  falco?: string[];
  defender?: string[];
  /** Evidence fields the alert shows. */
  evidence: string[];
  remediation: string;
  when(event: RuntimeEvent, ctx: RuleContext): Match | undefined;
}

export const ruleShape = z.object({
  id: z.string().regex(/^(RT-(K8S|HOST|DKR)-(A?\d{2})|[A-Z][A-Z0-9-]+)$/),
  title: z.string().min(3),
  severity: z.enum(['Critical', 'High', 'Medium', 'Low', 'Info', 'Debug']),
  tactic: z.string(),
  technique: z.string().optional(),
  source: z.enum(['k8s-audit', 'auditd', 'docker-events']),
  resources: z.array(z.string()).optional(),
  disabledByDefault: z.boolean().optional(),
  activity: z.boolean().optional(),
  falco: z.array(z.string()).optional(),
  defender: z.array(z.string()).optional(),
  evidence: z.array(z.string()),
  remediation: z.string().min(3),
  when: z.custom<Rule['when']>((v) => typeof v === 'function'),
});

/** Severity in alerts: catalogue words mapped onto the five contract severities. */
export function alertSeverity(s: CatalogueSeverity): Severity {
  switch (s) {
    case 'Critical':
      return 'CRITICAL';
    case 'High':
      return 'HIGH';
    case 'Medium':
      return 'MEDIUM';
    default:
      return 'LOW';
  }
}
