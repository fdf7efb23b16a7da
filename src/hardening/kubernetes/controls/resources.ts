import type { ContainerView } from '../objects/pod-spec.js';
import type { Parameters } from '../parameters/schema.js';
import { parseQuantity } from '../quantity.js';
import { finding, get, isRecord, ns, onContainers, onKinds, onPod, SYSTEM_NAMESPACES } from './helpers.js';
import type { Control, ControlFailure } from './types.js';

function res(c: { container: Record<string, unknown> }, kind: 'limits' | 'requests', name: string): unknown {
  return get(c.container, 'resources', kind, name);
}

type Bounds = NonNullable<Parameters['resourceBounds']['cpu']>;

/**
 * A container's request and limit of one resource against LimitRange-like bounds: missing values take their
 * defaults (a request without default takes the limit), each value is held to its min/max, and a request may not
 * exceed its limit when either was defaulted (values both set by the user are the API server's to validate).
 */
function outsideBounds(c: ContainerView, name: string, b: Bounds): ControlFailure[] {
  const given = { limits: res(c, 'limits', name), requests: res(c, 'requests', name) };
  const effective = {
    limits: given.limits ?? b.defaultLimit,
    requests: given.requests ?? b.defaultRequest ?? given.limits ?? b.defaultLimit,
  };
  const limit = parseQuantity(effective.limits);
  const request = parseQuantity(effective.requests);
  const shown = (kind: 'limits' | 'requests') =>
    `${kind}.${name} ${String(effective[kind])}${given[kind] === undefined ? ' (default)' : ''}`;
  const out: ControlFailure[] = [];
  const check = (kind: 'limits' | 'requests', value: number | undefined, min: unknown, max: unknown) => {
    if (value === undefined) return;
    const lo = parseQuantity(min);
    const hi = parseQuantity(max);
    const path = `${c.path}.resources.${kind}.${name}`;
    if (hi !== undefined && value > hi)
      out.push(finding(`${c.label} ${shown(kind)} is above the maximum ${String(max)}`, path));
    if (lo !== undefined && value < lo)
      out.push(finding(`${c.label} ${shown(kind)} is below the minimum ${String(min)}`, path));
  };
  check('limits', limit, b.minLimit, b.maxLimit);
  check('requests', request, b.minRequest, b.maxRequest);
  const defaulted = given.limits === undefined || given.requests === undefined;
  if (defaulted && limit !== undefined && request !== undefined && request > limit)
    out.push(
      finding(
        `${c.label} ${shown('requests')} is above ${shown('limits')}`,
        `${c.path}.resources.requests.${name}`,
      ),
    );
  return out;
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
    remediation:
      'Keep limits and requests within the allowed bounds (parameters maxCpu, maxMemory, resourceBounds).',
    check: (item, ctx) => {
      const max: [string, number | undefined][] = [
        ['cpu', parseQuantity(ctx.params.maxCpu)],
        ['memory', parseQuantity(ctx.params.maxMemory)],
      ];
      const bounds = (['cpu', 'memory'] as const).flatMap((name) => {
        const b = ctx.params.resourceBounds[name];
        return b && Object.keys(b).length ? [[name, b] as const] : [];
      });
      if (max.every(([, m]) => m === undefined) && bounds.length === 0) return null;
      return onContainers((c) => {
        const out: ControlFailure[] = [];
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
        for (const [name, b] of bounds) out.push(...outsideBounds(c, name, b));
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
        const out: ControlFailure[] = [];
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
      const out: ControlFailure[] = [];
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
