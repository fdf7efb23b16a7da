import { givenObject, scaledCount } from '../objects/defaults.js';
import { podSpecOf } from '../objects/pod-spec.js';
import type { KubeObject } from '../objects/types.js';
import {
  finding,
  get,
  isRecord,
  ns,
  onContainers,
  onKinds,
  onPod,
  records,
  selects,
  str,
} from './helpers.js';
import type { Control, ControlFailure, EvalContext } from './types.js';

const CONTROLLERS = ['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController'];
/** Where each pod template owner keeps the selector of its pods (Pods and the templates have none). */
const SELECTOR_FIELD: Readonly<Record<string, string>> = {
  Deployment: 'spec.selector',
  StatefulSet: 'spec.selector',
  ReplicaSet: 'spec.selector',
  DaemonSet: 'spec.selector',
  ReplicationController: 'spec.selector',
  Job: 'spec.selector',
  CronJob: 'spec.jobTemplate.spec.selector',
};
const BATCH = new Set(['Job', 'CronJob']);

function replicas(o: KubeObject): number {
  const r = get(o, 'spec', 'replicas');
  return typeof r === 'number' ? r : 1;
}

function hpasTargeting(ctx: EvalContext, o: KubeObject) {
  return ctx.inventory
    .inNamespace(ns(o), 'HorizontalPodAutoscaler')
    .filter(
      (h) =>
        get(h.object, 'spec', 'scaleTargetRef', 'kind') === o.kind &&
        get(h.object, 'spec', 'scaleTargetRef', 'name') === o.metadata.name,
    );
}

function pdbsSelecting(ctx: EvalContext, o: KubeObject) {
  const labels = podSpecOf(o)?.metadata.labels ?? {};
  return ctx.inventory
    .inNamespace(ns(o), 'PodDisruptionBudget')
    .filter((p) => selects(get(p.object, 'spec', 'selector'), labels));
}

function probe(name: 'readinessProbe' | 'livenessProbe', title: string): Control['check'] {
  return onContainers((c, _p, ctx, item) => {
    if (BATCH.has(item.object.kind) || c.list !== 'containers' || !ctx.params.requiredProbes.includes(name))
      return undefined;
    if (ctx.params.probesOnlyWhenServiced) {
      const labels = podSpecOf(item.object)?.metadata.labels ?? {};
      const serviced = ctx.inventory
        .inNamespace(ns(item.object), 'Service')
        .some((s) => selects(get(s.object, 'spec', 'selector'), labels, true));
      if (!serviced) return undefined;
    }
    const present = (probe: string) => usableProbe(c.container[probe], ctx.params.probeTypes);
    if (ctx.params.probeMode === 'any' ? ctx.params.requiredProbes.some(present) : present(name))
      return undefined;
    return finding(`${c.label} has no ${title}`, `${c.path}.${name}`);
  });
}

/** A probe that is set and, when probe types are given, uses one of those handlers (exec, httpGet, …). */
function usableProbe(probe: unknown, types: readonly string[]): boolean {
  return (
    isRecord(probe) && (types.length === 0 || types.some((t) => probe[t] !== undefined && probe[t] !== null))
  );
}

function workloadPdbs(o: KubeObject, ctx: EvalContext): ControlFailure[] {
  const out: ControlFailure[] = [];
  const n = replicas(o);
  for (const p of pdbsSelecting(ctx, o)) {
    const spec = isRecord(p.object.spec) ? p.object.spec : {};
    if (scaledCount(spec.maxUnavailable, n) === 0)
      out.push(
        finding(
          `PodDisruptionBudget ${p.object.metadata.name} has maxUnavailable ${String(spec.maxUnavailable)}`,
          'spec.replicas',
        ),
      );
    const min = scaledCount(spec.minAvailable, n);
    if (min !== undefined && min >= n)
      out.push(
        finding(
          `PodDisruptionBudget ${p.object.metadata.name} minAvailable ${String(spec.minAvailable)} ≥ replicas ${n}`,
          'spec.replicas',
        ),
      );
  }
  return out;
}

const pdbObject = onKinds(['PodDisruptionBudget'], (o, _i, ctx) => {
  const spec = isRecord(o.spec) ? o.spec : {};
  if (spec.maxUnavailable === undefined && spec.minAvailable === undefined)
    return ctx.params.pdbRequirePolicy
      ? [finding('neither minAvailable nor maxUnavailable is set', 'spec')]
      : [];
  if (spec.maxUnavailable === 0 || spec.maxUnavailable === '0%')
    return [finding('maxUnavailable is 0', 'spec.maxUnavailable')];
  if (spec.minAvailable === '100%') return [finding('minAvailable is 100%', 'spec.minAvailable')];
  if (scaledCount(spec.minAvailable, 1) === undefined) return [];
  const out: ControlFailure[] = [];
  for (const w of ctx.inventory.inNamespace(ns(o), ...CONTROLLERS)) {
    const labels = podSpecOf(w.object)?.metadata.labels ?? {};
    if (!selects(spec.selector, labels)) continue;
    const hpa = hpasTargeting(ctx, w.object)[0];
    // an HPA keeps the workload at minReplicas or more (its default of 1 applied by objects/defaults.ts)
    const floor = hpa ? Number(get(hpa.object, 'spec', 'minReplicas')) : replicas(w.object);
    const min = scaledCount(spec.minAvailable, floor)!;
    if (ctx.params.pdbAgainstHpaOnly && (!hpa || min <= floor)) continue;
    if (min >= floor)
      out.push(
        finding(
          `minAvailable ${String(spec.minAvailable)} ≥ ${hpa ? 'HPA minReplicas' : 'replicas'} ${floor} of ${w.object.kind} ${w.object.metadata.name}`,
          'spec.minAvailable',
        ),
      );
  }
  return out;
});

/** Built-in kinds with a scale subresource, by API group. */
const BUILTIN_SCALABLE: Readonly<Record<string, readonly string[]>> = {
  '': ['ReplicationController'],
  apps: ['Deployment', 'StatefulSet', 'ReplicaSet'],
  extensions: ['Deployment', 'ReplicaSet'],
};

/**
 * Whether a missing scale target can be told missing: a built-in kind, or a custom kind the bundle holds objects of.
 * A custom kind (Argo Rollout, KEDA ScaledObject…) the bundle has none of is defined elsewhere, not missing.
 */
function knownScaleKind(ref: unknown, ctx: EvalContext): boolean {
  const kind = String(get(ref, 'kind'));
  const apiVersion = str(get(ref, 'apiVersion'));
  const group = apiVersion?.includes('/') ? apiVersion.split('/')[0]! : '';
  if (
    apiVersion === undefined
      ? Object.values(BUILTIN_SCALABLE).some((k) => k.includes(kind))
      : BUILTIN_SCALABLE[group]?.includes(kind)
  )
    return true;
  return ctx.inventory.ofKind(kind).length > 0;
}

/** A spread constraint without a labelSelector counts no pods: the scheduler spreads nothing with it. */
function effectiveSpread(t: Record<string, unknown>): boolean {
  return isRecord(t.labelSelector);
}

/** topologySpreadConstraints the scheduler would refuse or ignore. */
function invalidSpread(spec: Record<string, unknown>, path: string): ControlFailure[] {
  const out: ControlFailure[] = [];
  records(spec.topologySpreadConstraints).forEach((t, i) => {
    const field = `${path}.topologySpreadConstraints[${i}]`;
    if (!effectiveSpread(t))
      out.push(finding('spread constraint without labelSelector selects no pods', `${field}.labelSelector`));
    if (typeof t.topologyKey !== 'string' || t.topologyKey === '')
      out.push(finding('spread constraint without topologyKey', `${field}.topologyKey`));
    if (t.whenUnsatisfiable !== 'DoNotSchedule' && t.whenUnsatisfiable !== 'ScheduleAnyway')
      out.push(
        finding(
          `whenUnsatisfiable ${String(t.whenUnsatisfiable)} is not DoNotSchedule or ScheduleAnyway`,
          `${field}.whenUnsatisfiable`,
        ),
      );
    if (typeof t.maxSkew !== 'number' || t.maxSkew < 1)
      out.push(finding('maxSkew must be at least 1', `${field}.maxSkew`));
    if (
      t.minDomains !== undefined &&
      (typeof t.minDomains !== 'number' || t.minDomains < 1 || t.whenUnsatisfiable !== 'DoNotSchedule')
    )
      out.push(finding('minDomains needs DoNotSchedule and a value of at least 1', `${field}.minDomains`));
  });
  return out;
}

export const reliabilityControls: readonly Control[] = [
  {
    id: 'K8S-REL-01',
    title: 'Readiness probe missing',
    severity: 'LOW',
    standards: ['best-practices'],
    scope: 'M',
    version: 1,
    remediation: 'Add a readinessProbe so that traffic only reaches ready pods.',
    check: probe('readinessProbe', 'readiness probe'),
  },
  {
    id: 'K8S-REL-02',
    title: 'Liveness probe missing',
    severity: 'LOW',
    standards: ['best-practices'],
    scope: 'M',
    version: 1,
    remediation: 'Add a livenessProbe so that hung containers are restarted.',
    check: probe('livenessProbe', 'liveness probe'),
  },
  {
    id: 'K8S-REL-03',
    title: 'Identical liveness and readiness probes',
    severity: 'LOW',
    standards: ['best-practices'],
    scope: 'M',
    version: 1,
    remediation: 'Give liveness and readiness probes different endpoints or thresholds.',
    check: onContainers((c) => {
      const l = c.container.livenessProbe;
      const r = c.container.readinessProbe;
      const handler = (p: unknown) =>
        JSON.stringify({
          h: get(p, 'httpGet'),
          t: get(p, 'tcpSocket'),
          e: get(p, 'exec'),
          g: get(p, 'grpc'),
        });
      return isRecord(l) && isRecord(r) && handler(l) === handler(r)
        ? finding(`${c.label} liveness and readiness probes are identical`, `${c.path}.livenessProbe`)
        : undefined;
    }),
  },
  {
    id: 'K8S-REL-04',
    title: 'preStop hook missing',
    severity: 'LOW',
    standards: [],
    scope: 'M',
    version: 1,
    remediation: 'Add lifecycle.preStop so that connections drain before the container stops.',
    check: (item, ctx) =>
      CONTROLLERS.includes(item.object.kind)
        ? onContainers((c) =>
            c.list === 'containers' && get(c.container, 'lifecycle', 'preStop') === undefined
              ? finding(`${c.label} has no preStop hook`, `${c.path}.lifecycle.preStop`)
              : undefined,
          )(item, ctx)
        : null,
  },
  {
    id: 'K8S-REL-05',
    title: 'Single replica',
    severity: 'LOW',
    standards: ['best-practices'],
    scope: 'M',
    version: 1,
    remediation: 'Run at least two replicas (or let an HPA manage them).',
    check: onKinds(['Deployment'], (o, _i, ctx) => {
      if (hpasTargeting(ctx, o).length) return [];
      const n = replicas(o);
      return n < ctx.params.minReplicas
        ? [finding(`replicas ${n} is below ${ctx.params.minReplicas}`, 'spec.replicas')]
        : [];
    }),
  },
  {
    id: 'K8S-REL-06',
    title: 'No PodDisruptionBudget',
    severity: 'LOW',
    standards: ['best-practices'],
    scope: 'M*',
    version: 1,
    remediation: 'Add a PodDisruptionBudget selecting the workload.',
    check: onKinds(['Deployment', 'StatefulSet'], (o, _i, ctx) =>
      replicas(o) < ctx.params.pdbMinReplicas && !hpasTargeting(ctx, o).length
        ? []
        : pdbsSelecting(ctx, o).length
          ? []
          : [finding('no PodDisruptionBudget selects the pods', 'spec.template.metadata.labels')],
    ),
  },
  {
    id: 'K8S-REL-07',
    title: 'PodDisruptionBudget blocks eviction',
    severity: 'LOW',
    standards: ['best-practices'],
    scope: 'M*',
    version: 2,
    remediation: 'Allow at least one disruption: maxUnavailable ≥ 1 or minAvailable below the replica count.',
    check: (item, ctx) =>
      CONTROLLERS.includes(item.object.kind) ? workloadPdbs(item.object, ctx) : pdbObject(item, ctx),
  },
  {
    id: 'K8S-REL-08',
    title: 'No anti-affinity / topology spread',
    severity: 'LOW',
    standards: ['best-practices'],
    scope: 'M',
    version: 2,
    remediation:
      'Spread replicas across nodes with podAntiAffinity on kubernetes.io/hostname or topologySpreadConstraints.',
    check: (item, ctx) => {
      const pod = podSpecOf(item.object);
      if (!pod) return null;
      const out = invalidSpread(pod.spec, pod.path);
      if (!CONTROLLERS.includes(item.object.kind) || !ctx.params.requireSpread) return out;
      if (typeof get(item.object, 'spec', 'replicas') === 'number' && replicas(item.object) < 2) return out;
      if (records(pod.spec.topologySpreadConstraints).some(effectiveSpread)) return out;
      const anti = get(pod.spec, 'affinity', 'podAntiAffinity');
      const terms = [
        ...records(get(anti, 'requiredDuringSchedulingIgnoredDuringExecution')),
        ...records(get(anti, 'preferredDuringSchedulingIgnoredDuringExecution')).map((t) =>
          isRecord(t.podAffinityTerm) ? t.podAffinityTerm : {},
        ),
      ];
      const spread = terms.some(
        (t) => t.topologyKey === 'kubernetes.io/hostname' && selects(t.labelSelector, pod.metadata.labels),
      );
      if (!spread)
        out.push(
          finding(
            'no podAntiAffinity on kubernetes.io/hostname selecting the pods, and no topologySpreadConstraints with a labelSelector',
            `${pod.path}.affinity`,
          ),
        );
      return out;
    },
  },
  {
    id: 'K8S-REL-09',
    title: 'HorizontalPodAutoscaler issues',
    severity: 'LOW',
    standards: ['best-practices'],
    scope: 'M*',
    version: 2,
    remediation:
      'Point the HPA at an existing workload, keep a useful min/max spread and remove spec.replicas from its target.',
    check: (item, ctx) => {
      const o = item.object;
      if (o.kind === 'Deployment' || o.kind === 'StatefulSet')
        return hpasTargeting(ctx, o).length && get(o, 'spec', 'replicas') !== undefined
          ? [finding('targeted by an HPA but sets spec.replicas', 'spec.replicas')]
          : [];
      if (o.kind !== 'HorizontalPodAutoscaler') return null;
      const out: ControlFailure[] = [];
      const ref = get(o, 'spec', 'scaleTargetRef');
      const kind = String(get(ref, 'kind'));
      const target = ctx.inventory.find(kind, String(get(ref, 'name')), ns(o));
      if (!target && ctx.params.hpaRequireTarget && knownScaleKind(ref, ctx))
        out.push(
          finding(
            `scale target ${String(get(ref, 'kind'))} ${String(get(ref, 'name'))} does not exist`,
            'spec.scaleTargetRef',
          ),
        );
      // a minimum judged only when written; the spread uses the defaulted minReplicas
      const minSet = get(givenObject(item), 'spec', 'minReplicas') !== undefined;
      const min = Number(get(o, 'spec', 'minReplicas'));
      const max = Number(get(o, 'spec', 'maxReplicas') ?? 0);
      if (minSet && min < ctx.params.hpaMinReplicas)
        out.push(finding(`minReplicas ${min} is below ${ctx.params.hpaMinReplicas}`, 'spec.minReplicas'));
      const ranges = ctx.params.hpaReplicaRanges;
      if (ranges.length && !ranges.some((r) => min >= r.min && max <= r.max))
        out.push(
          finding(`minReplicas ${min}/maxReplicas ${max} outside the allowed ranges`, 'spec.maxReplicas'),
        );
      if (max - min < ctx.params.minHpaSpread)
        out.push(finding(`maxReplicas ${max} leaves no room above minReplicas ${min}`, 'spec.maxReplicas'));
      return out;
    },
  },
  {
    id: 'K8S-REL-10',
    title: 'No rolling update',
    severity: 'LOW',
    standards: ['best-practices'],
    scope: 'M',
    version: 1,
    remediation: 'Use strategy.type RollingUpdate.',
    check: onKinds(['Deployment'], (o) => {
      const type = get(o, 'spec', 'strategy', 'type');
      return type === 'RollingUpdate' ? [] : [finding(`strategy is ${String(type)}`, 'spec.strategy.type')];
    }),
  },
  {
    id: 'K8S-REL-11',
    title: 'CronJob hygiene',
    severity: 'LOW',
    standards: ['best-practices'],
    scope: 'M',
    version: 1,
    remediation: 'Set startingDeadlineSeconds and restartPolicy OnFailure or Never.',
    check: onKinds(['CronJob'], (o) => {
      const out: ControlFailure[] = [];
      if (typeof get(o, 'spec', 'startingDeadlineSeconds') !== 'number')
        out.push(finding('no startingDeadlineSeconds', 'spec.startingDeadlineSeconds'));
      const policy = get(o, 'spec', 'jobTemplate', 'spec', 'template', 'spec', 'restartPolicy');
      if (policy !== 'OnFailure' && policy !== 'Never')
        out.push(
          finding(
            `restartPolicy ${String(policy ?? 'unset')}`,
            'spec.jobTemplate.spec.template.spec.restartPolicy',
          ),
        );
      return out;
    }),
  },
  {
    id: 'K8S-REL-12',
    title: 'Selector/label mismatch',
    severity: 'LOW',
    standards: ['best-practices'],
    scope: 'M',
    version: 2,
    remediation:
      'Make spec.selector match the pod template labels; keep app.kubernetes.io/instance equal to the name.',
    check: (item) => {
      const pod = podSpecOf(item.object);
      if (!pod) return null;
      const out: ControlFailure[] = [];
      const field = SELECTOR_FIELD[item.object.kind];
      const selector = field ? get(item.object, ...field.split('.')) : undefined;
      const plain = item.object.kind === 'ReplicationController';
      // a Job's selector is generated when absent; a given one must still match the template (API validation)
      if (field && selector !== undefined && !selects(selector, pod.metadata.labels, plain))
        out.push(finding(`${field} does not match the pod template labels`, field));
      const instance = item.object.metadata.labels?.['app.kubernetes.io/instance'];
      if (instance !== undefined && instance !== item.object.metadata.name)
        out.push(
          finding(`label app.kubernetes.io/instance=${instance} differs from the name`, 'metadata.labels'),
        );
      return out;
    },
  },
  {
    id: 'K8S-REL-13',
    title: 'StatefulSet without headless Service',
    severity: 'LOW',
    standards: ['best-practices'],
    scope: 'M*',
    version: 1,
    remediation: 'Set spec.serviceName to a headless Service (clusterIP: None) selecting the pods.',
    check: onKinds(['StatefulSet'], (o, _i, ctx) => {
      const name = str(get(o, 'spec', 'serviceName'));
      if (!name) return [finding('no serviceName', 'spec.serviceName')];
      const svc = ctx.inventory.find('Service', name, ns(o));
      if (!svc) return [finding(`Service ${name} does not exist`, 'spec.serviceName')];
      if (get(svc, 'spec', 'clusterIP') !== 'None')
        return [finding(`Service ${name} is not headless`, 'spec.serviceName')];
      const labels = podSpecOf(o)?.metadata.labels ?? {};
      return selects(get(svc, 'spec', 'selector'), labels, true)
        ? []
        : [finding(`Service ${name} does not select the pods`, 'spec.serviceName')];
    }),
  },
  {
    id: 'K8S-REL-14',
    title: 'PriorityClass not set',
    severity: 'LOW',
    standards: ['best-practices'],
    scope: 'M',
    version: 1,
    remediation: 'Set priorityClassName so that the scheduler knows what to evict first.',
    check: onPod((pod) =>
      typeof pod.spec.priorityClassName === 'string'
        ? []
        : [finding('no priorityClassName', `${pod.path}.priorityClassName`)],
    ),
  },
  {
    id: 'K8S-REL-15',
    title: 'Container port hygiene',
    severity: 'LOW',
    standards: ['best-practices'],
    scope: 'M',
    version: 1,
    remediation: 'Keep port names unique and at most 15 characters; declare each port once.',
    check: onPod((pod) => {
      const out: ControlFailure[] = [];
      const names = new Set<string>();
      for (const c of pod.containers) {
        const numbers = new Set<string>();
        records(c.container.ports).forEach((p, i) => {
          const name = str(p.name);
          if (name !== undefined) {
            if (name.length > 15)
              out.push(
                finding(`port name ${name} is longer than 15 characters`, `${c.path}.ports[${i}].name`),
              );
            if (names.has(name))
              out.push(finding(`port name ${name} is used twice`, `${c.path}.ports[${i}].name`));
            names.add(name);
          }
          if (typeof p.containerPort !== 'number')
            out.push(
              finding(`port ${name ?? i} has no containerPort`, `${c.path}.ports[${i}].containerPort`),
            );
          const key = `${String(p.containerPort)}/${String(p.protocol ?? 'TCP')}`;
          if (numbers.has(key))
            out.push(finding(`port ${key} is declared twice`, `${c.path}.ports[${i}].containerPort`));
          numbers.add(key);
        });
      }
      return out;
    }),
  },
];
