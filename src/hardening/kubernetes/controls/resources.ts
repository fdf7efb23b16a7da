import { parseQuantity } from '../quantity.js';
import { finding, get, isRecord, ns, onContainers, onKinds, onPod, SYSTEM_NAMESPACES } from './helpers.js';
import type { Control, Finding } from './types.js';

function res(c: { container: Record<string, unknown> }, kind: 'limits' | 'requests', name: string): unknown {
  return get(c.container, 'resources', kind, name);
}

const REPLICATED = ['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController'];

export const resourceControls: readonly Control[] = [
  {
    id: 'K8S-RES-01',
    title: 'CPU limit missing',
    severity: 'MEDIUM',
    standards: ['nsa', 'best-practices'],
    scope: 'M',
    version: 1,
    remediation: 'Set resources.limits.cpu on every container.',
    check: onContainers((c, _p, ctx) =>
      c.list !== 'ephemeralContainers' &&
      ctx.params.requiredLimits.includes('cpu') &&
      res(c, 'limits', 'cpu') === undefined
        ? finding(`${c.label} has no CPU limit`, `${c.path}.resources.limits.cpu`)
        : undefined,
    ),
  },
  {
    id: 'K8S-RES-02',
    title: 'Memory limit missing',
    severity: 'MEDIUM',
    standards: ['nsa', 'best-practices'],
    scope: 'M',
    version: 1,
    remediation: 'Set resources.limits.memory on every container.',
    check: onContainers((c, _p, ctx) =>
      c.list !== 'ephemeralContainers' &&
      ctx.params.requiredLimits.includes('memory') &&
      res(c, 'limits', 'memory') === undefined
        ? finding(`${c.label} has no memory limit`, `${c.path}.resources.limits.memory`)
        : undefined,
    ),
  },
  {
    id: 'K8S-RES-03',
    title: 'CPU/memory requests missing',
    severity: 'LOW',
    standards: ['best-practices'],
    scope: 'M',
    version: 1,
    remediation: 'Set resources.requests.cpu and resources.requests.memory on every container.',
    check: onContainers((c, _p, ctx) => {
      if (c.list === 'ephemeralContainers') return undefined;
      const missing = ctx.params.requiredRequests.filter((r) => res(c, 'requests', r) === undefined);
      return missing.length
        ? finding(`${c.label} has no ${missing.join('/')} request`, `${c.path}.resources.requests`)
        : undefined;
    }),
  },
  {
    id: 'K8S-RES-04',
    title: 'Limits/requests above allowed maximum',
    severity: 'MEDIUM',
    standards: [],
    scope: 'M',
    version: 1,
    remediation: 'Lower limits and requests to the allowed maxima (parameters maxCpu, maxMemory).',
    check: (item, ctx) => {
      const max: [string, number | undefined][] = [
        ['cpu', parseQuantity(ctx.params.maxCpu)],
        ['memory', parseQuantity(ctx.params.maxMemory)],
      ];
      if (max.every(([, m]) => m === undefined)) return null;
      return onContainers((c) => {
        const out: Finding[] = [];
        for (const [name, m] of max) {
          if (m === undefined) continue;
          for (const kind of ['limits', 'requests'] as const) {
            const q = parseQuantity(res(c, kind, name));
            if (q !== undefined && q > m)
              out.push(
                finding(
                  `${c.label} ${kind}.${name} ${String(res(c, kind, name))} is above the maximum`,
                  `${c.path}.resources.${kind}.${name}`,
                ),
              );
          }
        }
        return out;
      })(item, ctx);
    },
  },
  {
    id: 'K8S-RES-05',
    title: 'Limit-to-request ratio',
    severity: 'LOW',
    standards: [],
    scope: 'M',
    version: 1,
    remediation: 'Keep limits within the allowed ratio of requests (or equal to them).',
    check: (item, ctx) => {
      const { maxLimitRequestRatio: ratio, requireRequestsEqualLimits: equal } = ctx.params;
      if (ratio === undefined && !equal) return null;
      return onContainers((c) => {
        if (c.list === 'ephemeralContainers') return undefined;
        const out: Finding[] = [];
        for (const name of ['cpu', 'memory']) {
          const l = parseQuantity(res(c, 'limits', name));
          const r = parseQuantity(res(c, 'requests', name)) ?? l;
          if (l === undefined || r === undefined) {
            if (equal)
              out.push(
                finding(`${c.label} ${name} requests and limits are not both set`, `${c.path}.resources`),
              );
            continue;
          }
          if (equal && l !== r)
            out.push(
              finding(
                `${c.label} ${name} request differs from limit`,
                `${c.path}.resources.requests.${name}`,
              ),
            );
          const max = name === 'cpu' ? (ctx.params.maxCpuLimitRequestRatio ?? ratio) : ratio;
          if (max !== undefined && r > 0 && l / r > max)
            out.push(
              finding(
                `${c.label} ${name} limit/request ratio ${(l / r).toFixed(2)} exceeds ${max}`,
                `${c.path}.resources.limits.${name}`,
              ),
            );
        }
        return out;
      })(item, ctx);
    },
  },
  {
    id: 'K8S-RES-06',
    title: 'Ephemeral storage unbounded',
    severity: 'LOW',
    standards: ['best-practices'],
    scope: 'M',
    version: 1,
    remediation: 'Set resources.requests and limits for ephemeral-storage.',
    check: onContainers((c, _p, ctx) => {
      if (c.list === 'ephemeralContainers') return undefined;
      const l = res(c, 'limits', 'ephemeral-storage');
      const r = res(c, 'requests', 'ephemeral-storage');
      if (l === undefined)
        return finding(
          `${c.label} has no ephemeral-storage limit`,
          `${c.path}.resources.limits.ephemeral-storage`,
        );
      if (r === undefined && !ctx.params.maxEphemeralStorage)
        return finding(
          `${c.label} has no ephemeral-storage request`,
          `${c.path}.resources.requests.ephemeral-storage`,
        );
      const max = parseQuantity(ctx.params.maxEphemeralStorage);
      const lq = parseQuantity(l);
      if (max !== undefined && (lq === undefined || lq > max))
        return finding(
          `${c.label} ephemeral-storage limit ${String(l)} is above ${ctx.params.maxEphemeralStorage}`,
          `${c.path}.resources.limits.ephemeral-storage`,
        );
      if (ctx.params.requireRequestsEqualLimits && r !== undefined && parseQuantity(r) !== lq)
        return finding(
          `${c.label} ephemeral-storage request differs from limit`,
          `${c.path}.resources.requests.ephemeral-storage`,
        );
      return undefined;
    }),
  },
  {
    id: 'K8S-RES-07',
    title: 'Windows resource overcommit',
    severity: 'LOW',
    standards: [],
    scope: 'M',
    version: 1,
    remediation: 'Set Windows container requests equal to limits.',
    check: onPod((pod) => {
      if (!pod.isWindows) return [];
      const out: Finding[] = [];
      for (const c of pod.containers)
        for (const name of ['cpu', 'memory']) {
          const l = parseQuantity(res(c, 'limits', name));
          const r = parseQuantity(res(c, 'requests', name));
          if (l !== undefined && r !== undefined && l !== r)
            out.push(finding(`${c.label} ${name} limit differs from request`, `${c.path}.resources`));
          if (l === undefined)
            out.push(finding(`${c.label} has no ${name} limit`, `${c.path}.resources.limits.${name}`));
        }
      return out;
    }),
  },
  {
    id: 'K8S-RES-08',
    title: 'Replica count outside range',
    severity: 'LOW',
    standards: [],
    scope: 'M',
    version: 1,
    remediation: 'Keep spec.replicas within the allowed ranges (parameter replicaRanges).',
    check: (item, ctx) => {
      const ranges = ctx.params.replicaRanges;
      if (ranges.length === 0 || !REPLICATED.includes(item.object.kind)) return null;
      const replicas = get(item.object, 'spec', 'replicas');
      const n = typeof replicas === 'number' ? replicas : 1;
      return ranges.some((r) => n >= r.min && n <= r.max)
        ? []
        : [finding(`replicas ${n} outside the allowed ranges`, 'spec.replicas')];
    },
  },
  {
    id: 'K8S-RES-09',
    title: 'Namespace without ResourceQuota/LimitRange',
    severity: 'MEDIUM',
    standards: ['nsa'],
    scope: 'C',
    version: 1,
    remediation: 'Give each user namespace a ResourceQuota and a LimitRange.',
    check: onKinds(['Namespace'], (o, _i, ctx) => {
      const name = o.metadata.name ?? '';
      if (SYSTEM_NAMESPACES.has(name)) return [];
      const inNs = (k: string) => ctx.inventory.ofKind(k).some((i) => ns(i.object) === name);
      const missing = ['ResourceQuota', 'LimitRange'].filter((k) => !inNs(k));
      return missing.length ? [finding(`namespace ${name} has no ${missing.join(' or ')}`)] : [];
    }),
  },
];

export function hasResources(c: unknown): boolean {
  return isRecord(get(c, 'resources'));
}
