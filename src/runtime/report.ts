import type { Origin } from '../core/assessment.js';
import { compareNatural, compareText } from '../core/collate.js';
import { envelope } from '../core/envelope.js';
import { plural } from '../core/render/plural.js';
import type { Report } from '../core/render/report.js';
import { resourceLabel } from '../core/resource.js';
import type { Alert } from '../core/results.js';
import { compareSeverity, countBySeverity } from '../core/severity.js';
import type { ActiveRuleSet } from './rule-set.js';
import { RULES } from './rules/index.js';
import { alertSeverity } from './rules/types.js';

/** Sort alerts by severity, then rule id, then first time seen. */
export function sortAlerts(alerts: Alert[]): Alert[] {
  return [...alerts].sort(
    (a, b) =>
      compareSeverity(a.severity, b.severity) ||
      compareNatural(a.rule, b.rule) ||
      compareText(a.firstSeen, b.firstSeen),
  );
}

/**
 * Who did it, as the evidence names them: the Kubernetes user (or the impersonated one), the process's user, or the
 * audit uid; empty when the source does not say.
 */
export function actorOf(alert: Pick<Alert, 'evidence'>): string {
  const e = alert.evidence;
  const text = (v: unknown) =>
    typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;
  const user = text(e.user) ?? text(e.username);
  const impersonated = text(e.impersonatedUser);
  if (user) return impersonated ? `${user} as ${impersonated}` : user;
  const auid = text(e.auid);
  if (auid) return `auid ${auid}`;
  const uid = text(e.uid);
  return uid ? `uid ${uid}` : '';
}

/** The `RuntimeAlerts` report of `runtime detect`. */
export function alertsReport(
  alerts: Alert[],
  source: string,
  stats: { events: number; skipped: number },
  origin?: Origin,
): Report {
  const sorted = sortAlerts(alerts);
  // a replay covers the events it was given, never a whole host or cluster: complete is always false
  const assessed = [...new Map(sorted.map((a) => [a.resource.id, a.resource])).values()];
  const doc = envelope('RuntimeAlerts', {
    ...(origin ? { engine: 'runtime' as const, origin, complete: false, assessed } : {}),
    source,
    events: stats.events,
    skipped: stats.skipped,
    summary: countBySeverity(sorted),
    alerts: sorted,
  });
  return {
    document: doc,
    table: () => ({
      title:
        source === 'store'
          ? `Stored alerts: ${plural(sorted.length, 'alert')} shown`
          : `Run-time alerts (${source}): ${plural(sorted.length, 'alert')} from ${plural(stats.events, 'event')}`,
      columns: [
        { key: 'severity', header: 'SEVERITY' },
        { key: 'rule', header: 'RULE' },
        { key: 'title', header: 'TITLE' },
        { key: 'resource', header: 'RESOURCE' },
        { key: 'actor', header: 'ACTOR' },
        { key: 'count', header: 'COUNT', align: 'right' },
        { key: 'lastSeen', header: 'LAST SEEN' },
      ],
      sections: [
        {
          rows: sorted.map((a) => ({
            severity: a.severity,
            rule: a.rule,
            title: a.title,
            resource: resourceLabel(a.resource),
            actor: actorOf(a),
            count: a.count,
            lastSeen: a.lastSeen,
          })),
        },
      ],
    }),
    sarif: () => {
      const byId = new Map(RULES.map((r) => [r.id, r]));
      const ids = [...new Set(sorted.map((a) => a.rule))];
      return {
        rules: ids.map((id) => {
          const r = byId.get(id);
          const a = sorted.find((x) => x.rule === id)!;
          return {
            id,
            shortDescription: r?.title ?? a.title,
            ...(r ? { help: r.remediation } : {}),
            severity: r ? alertSeverity(r.severity) : a.severity,
            tags: [a.tactic, ...(a.technique ? [a.technique] : [])],
          };
        }),
        results: sorted.map((a) => ({
          ruleId: a.rule,
          message: `${a.title} (${a.count}×, ${a.firstSeen} – ${a.lastSeen})`,
          severity: a.severity,
          locations: [{ uri: `bulkhead:${a.source}`, logicalName: resourceLabel(a.resource) }],
          fingerprint: `${a.rule}/${resourceLabel(a.resource)}/${a.firstSeen}`,
          properties: { evidence: a.evidence, count: a.count },
        })),
      };
    },
  };
}

/** The `RuntimeRules` report of `runtime rules`. */
export function rulesReport(set: ActiveRuleSet): Report {
  const active = new Set(set.rules.map((r) => r.id));
  const all = [...set.rules, ...RULES.filter((r) => !active.has(r.id))].sort((a, b) =>
    compareNatural(a.id, b.id),
  );
  const rows = all.map((r) => ({
    id: r.id,
    title: r.title,
    severity: alertSeverity(set.severityOverrides.get(r.id) ?? r.severity),
    level: set.severityOverrides.get(r.id) ?? r.severity,
    source: r.source,
    tactic: r.tactic,
    ...(r.technique ? { technique: r.technique } : {}),
    enabled: active.has(r.id) && (!r.activity || set.activity),
    origin: set.origins.get(r.id) ?? 'built-in',
    falco: r.falco ?? [],
    defender: r.defender ?? [],
    evidence: r.evidence,
    remediation: r.remediation,
  }));
  return {
    document: envelope('RuntimeRules', { rules: rows, lists: Object.keys(set.lists).sort() }),
    table: () => ({
      title: `Run-time rules: ${rows.filter((r) => r.enabled).length} enabled of ${rows.length}`,
      columns: [
        { key: 'id', header: 'ID' },
        { key: 'source', header: 'SOURCE' },
        { key: 'level', header: 'SEV' },
        { key: 'enabled', header: 'ON' },
        { key: 'title', header: 'TITLE', maxWidth: 70 },
        { key: 'origin', header: 'FROM', maxWidth: 30 },
      ],
      sections: [
        {
          rows: rows.map((r) => ({
            ...r,
            enabled: r.enabled ? 'yes' : 'no',
            falco: undefined,
            defender: undefined,
            evidence: undefined,
          })),
        },
      ],
    }),
  };
}
