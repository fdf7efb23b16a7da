import { z } from 'zod';
import { severityRank } from '../../../core/severity.js';
import { clusterKey, containerKey, daemonKey, hostKey, namespaceKey, podKey } from '../../inventory/keys.js';
import { alertDisplay } from '../../results/display.js';
import { fileAlerts, fileResources, type ResourceSpec } from '../filing.js';
import { defineKind, invalidReport } from '../kind.js';
import { origin, severity } from './common.js';

interface Ref {
  type: string;
  id: string;
  name?: string | undefined;
  namespace?: string | undefined;
  kind?: string | undefined;
  parent?: Ref | undefined;
}
const Ref: z.ZodType<Ref> = z.lazy(() =>
  z.looseObject({
    type: z.string().min(1),
    id: z.string(),
    name: z.string().optional(),
    namespace: z.string().optional(),
    kind: z.string().optional(),
    parent: Ref.optional(),
  }),
);

const RuntimeAlerts = z.object({
  kind: z.literal('RuntimeAlerts'),
  engine: z.literal('runtime').optional(),
  origin,
  alerts: z.array(
    z.looseObject({
      rule: z.string().min(1),
      title: z.string(),
      severity,
      tactic: z.string().optional(),
      technique: z.string().optional(),
      source: z.string(),
      resource: Ref,
      firstSeen: z.string().min(1),
      lastSeen: z.string().min(1),
      count: z.number().int().nonnegative(),
      evidence: z.record(z.string(), z.unknown()).optional(),
    }),
  ),
});
type RuntimeAlerts = z.infer<typeof RuntimeAlerts>;

type Scope = { host: string } | { cluster: string };

/** The host or cluster: `origin`, else (older documents) the host or cluster the first alert's resource sits in. */
function scopeOf(doc: RuntimeAlerts): Scope {
  if (doc.origin?.host) return { host: doc.origin.host };
  if (doc.origin?.cluster) return { cluster: doc.origin.cluster };
  for (const a of doc.alerts)
    for (let r: Ref | undefined = a.resource; r; r = r.parent) {
      if (r.type === 'host') return { host: r.id };
      if (r.type === 'cluster') return { cluster: r.id };
    }
  throw invalidReport('origin.host', 'a runtime report must name its host or cluster');
}

/** The inventory resource an alert is filed under, with the resources above it. */
function place(scope: Scope, r: Ref): ResourceSpec[] {
  if ('host' in scope) {
    const h = scope.host;
    const top = [
      { key: hostKey(h), family: 'hosts', type: 'host', name: h, parent: null },
      { key: daemonKey(h), family: 'hosts', type: 'daemon', name: `${h} dockerd`, parent: hostKey(h) },
    ] as ResourceSpec[];
    if (r.type === 'container')
      return [
        ...top,
        {
          key: containerKey(h, r.id),
          family: 'hosts',
          type: 'container',
          name: (r.name ?? r.id.slice(0, 12)).replace(/^\//, ''),
          parent: daemonKey(h),
          attributes: { id: r.id },
        },
      ];
    // an image event is about what the daemon runs
    if (r.type === 'daemon' || r.type === 'image') return top;
    return top.slice(0, 1);
  }
  const c = scope.cluster;
  const specs: ResourceSpec[] = [
    { key: clusterKey(c), family: 'clusters', type: 'cluster', name: c, parent: null },
  ];
  if (!r.namespace) return specs;
  specs.push({
    key: namespaceKey(c, r.namespace),
    family: 'clusters',
    type: 'namespace',
    name: r.namespace,
    parent: clusterKey(c),
  });
  if (r.type === 'pod' && r.name)
    specs.push({
      key: podKey(c, r.namespace, r.name),
      family: 'clusters',
      type: 'pod',
      name: r.name,
      parent: namespaceKey(c, r.namespace),
    });
  return specs;
}

/** Run-time alerts of a host or cluster. Alerts never resolve by absence; triage changes their state. */
export const runtimeAlertsKind = defineKind<RuntimeAlerts>({
  kind: 'RuntimeAlerts',
  schema: RuntimeAlerts,
  engine: () => 'runtime',
  scope: (doc) => {
    const s = scopeOf(doc);
    return 'host' in s ? hostKey(s.host) : clusterKey(s.cluster);
  },
  apply: async (doc, ctx) => {
    const scope = scopeOf(doc);
    const specs: ResourceSpec[] = [];
    const alerts = doc.alerts.map((a) => {
      const placed = place(scope, a.resource);
      specs.push(...placed);
      const resourceKey = placed[placed.length - 1]!.key;
      return {
        alert_key: `${resourceKey}|${a.rule}|${a.firstSeen}`,
        resource_key: resourceKey,
        rule: a.rule,
        severity: a.severity,
        severity_rank: severityRank(a.severity),
        source: a.source,
        count: a.count,
        data: JSON.stringify(a),
        ...alertDisplay(a as unknown as Record<string, unknown>),
        first_seen: a.firstSeen,
        last_seen: a.lastSeen,
      };
    });
    if (specs.length === 0) specs.push(...place(scope, { type: 'host', id: '' }));
    await fileResources(ctx, specs);
    await fileAlerts(ctx, alerts);
  },
});
