import picomatch from 'picomatch';
import { parseSeverity } from '../core/severity.js';
import {
  CONTROLS,
  type Evaluation,
  evaluateDetailed,
  evaluateWithConstraints,
  type LoadedObject,
  resourceOf,
} from '../hardening/kubernetes/index.js';
import { ADMITTED_KINDS } from './kinds.js';
import type { AdmissionPolicy } from './policy.js';
import { parseReview } from './review.js';
import {
  VULNERABILITY_CONTROL,
  type VulnerabilityIndex,
  vulnerabilityViolations,
} from './vulnerabilities.js';

export interface AuditOptions {
  /** Cluster inventory used as context (namespaces for namespaceSelector, etc.), not reported on. */
  context?: readonly LoadedObject[];
  vulnerabilities?: VulnerabilityIndex;
  now?: Date;
}

/**
 * The background audit: the admission policy's controls, constraints and vulnerability gate applied to existing
 * objects, as posture results (every failing result, no cap). Objects in exempt namespaces are left out, as
 * the webhook would never see them. The policy's extra checks (CEL) see each object as a CREATE request.
 */
export function auditObjects(
  objects: readonly LoadedObject[],
  policy: AdmissionPolicy,
  options: AuditOptions = {},
): Evaluation {
  const now = options.now ?? new Date();
  const exempt = policy.exemptNamespaces.length ? picomatch(policy.exemptNamespaces) : () => false;
  const kept = objects.filter((o) => {
    const ns = o.object.kind === 'Namespace' ? o.object.metadata.name : o.object.metadata.namespace;
    return !(ns && exempt(ns));
  });
  const base = {
    parameters: policy.parameters,
    exceptions: policy.exceptions,
    pssVersion: policy.pssVersion,
    now,
    ...(options.context ? { context: options.context } : {}),
    ...(policy.customControls ? { customControls: policy.customControls } : {}),
  };
  const evaluation: Evaluation = { results: [], expiredExceptions: [] };
  const seen = new Set<string>();
  const add = (e: Evaluation) => {
    for (const r of e.results) {
      const key = `${r.control}|${r.resource.id}|${(r.evidence as { constraint?: unknown } | undefined)?.constraint ? r.title : ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      evaluation.results.push(r);
    }
    evaluation.expiredExceptions.push(...e.expiredExceptions);
  };
  for (const group of policy.groups)
    add(evaluateDetailed(kept, { ...base, standard: group.standard, controls: group.controls }));
  if (policy.constraints.length)
    add(evaluateWithConstraints(kept, { ...base, controls: [], constraints: policy.constraints }));
  if (policy.vulnerabilities) {
    const control = CONTROLS.find((c) => c.id === VULNERABILITY_CONTROL)!;
    for (const item of kept) {
      for (const v of vulnerabilityViolations(
        item,
        policy.vulnerabilities,
        options.vulnerabilities,
        policy,
        now,
      ))
        evaluation.results.push({
          control: control.id,
          controlVersion: control.version,
          title: control.title,
          severity: control.severity,
          standards: [...control.standards],
          resource: resourceOf(item.object),
          status: 'fail',
          message: v.message,
          remediation: control.remediation,
          source: item.source,
        });
    }
  }
  if (policy.extraChecks) {
    // The Namespaces among the objects and the context: CEL `namespaceObject` and namespace selectors, as served.
    const namespaces = new Map(
      [...objects, ...(options.context ?? [])]
        .filter((o) => o.object.kind === 'Namespace' && o.object.metadata.name)
        .map((o) => [o.object.metadata.name!, o.object] as const),
    );
    for (const item of kept)
      evaluation.results.push(
        ...extraResults(item, policy.extraChecks, namespaces.get(item.object.metadata.namespace ?? '')),
      );
  }
  return evaluation;
}

/** The REST resource of a kind: the known table, else the usual English plural of the lower-cased kind. */
function resourceOfKind(group: string, kind: string): string {
  const known = ADMITTED_KINDS.find((k) => k.kind === kind && k.group === group);
  if (known) return known.resources[0]!;
  const lower = kind.toLowerCase();
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(lower)) return `${lower}es`;
  return `${lower}s`;
}

/** An existing object as the CREATE request that would have admitted it, through the policy's extra checks. */
function extraResults(
  item: LoadedObject,
  checks: NonNullable<AdmissionPolicy['extraChecks']>,
  namespaceObject: unknown,
): Evaluation['results'] {
  const o = item.object;
  const [group, version] = o.apiVersion.includes('/') ? o.apiVersion.split('/') : ['', o.apiVersion];
  const review = parseReview(
    JSON.stringify({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      request: {
        uid: `audit:${resourceOf(o).id}`,
        operation: 'CREATE',
        kind: { group, version, kind: o.kind },
        resource: { group, version, resource: resourceOfKind(group ?? '', o.kind) },
        ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
        ...(o.metadata.name ? { name: o.metadata.name } : {}),
        userInfo: {},
        object: o,
      },
    }),
  );
  return checks(review, namespaceObject ? { namespaceObject } : {}).violations.map((v) => {
    const control = CONTROLS.find((c) => c.id === v.control);
    return {
      control: v.control,
      controlVersion: control?.version ?? 1,
      title: control?.title ?? v.source ?? v.control,
      severity: parseSeverity(v.severity),
      standards: control ? [...control.standards] : [],
      resource: resourceOf(o),
      status: 'fail' as const,
      message: v.message,
      remediation: control?.remediation ?? '',
      source: item.source,
    };
  });
}
