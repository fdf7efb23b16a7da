import type { Kysely } from 'kysely';
import picomatch from 'picomatch';
import type { Report } from '../core/render/index.js';
import {
  assessedObjects,
  type Evaluation,
  type LoadError,
  type LoadedScope,
  loadScope,
  type ScopeOptions,
  scanReport,
} from '../hardening/kubernetes/index.js';
import { formatVersion } from '../hardening/kubernetes/pss/version.js';
import { saveControlScan } from '../store/control-scan.js';
import type { Database } from '../store/schema.js';
import { auditObjects } from './audit.js';
import type { AdmissionPolicy } from './policy.js';
import { storedVulnerabilityIndex } from './vulnerabilities.js';

export interface AdmissionAuditOptions extends Omit<ScopeOptions, 'includeNamespaces' | 'excludeNamespaces'> {
  policy: AdmissionPolicy;
  includePassed?: boolean;
  /** Exit 1 when any unsuppressed violation remains (`--exit-code`). */
  exitOnViolation?: boolean;
  now?: Date;
}

/** One admission audit: the KubernetesScan document (engine `admission-audit`), the evaluation, the gate. */
export interface AdmissionAuditOutcome {
  document: object;
  /** The same document with its passing rows, whatever --include-passed said: what --push sends a center. */
  centerDocument: object;
  report: Report;
  evaluation: Evaluation;
  errors: LoadError[];
  scope: LoadedScope;
  gate: { exitCode: number };
}

/**
 * The admission policy applied to existing objects (manifests and/or a live cluster), as the webhook would decide
 * them. With a store, the vulnerability gate reads the stored image scans and the results are saved. Never
 * writes to stdout or exits.
 */
export async function auditAdmission(
  options: AdmissionAuditOptions,
  store?: { db: Kysely<Database> },
): Promise<AdmissionAuditOutcome> {
  const { policy } = options;
  const scope = await loadScope(options, 'admission audit');
  const vulnerabilities =
    store && policy.vulnerabilities ? await storedVulnerabilityIndex(store.db) : undefined;
  const evaluation = auditObjects(scope.objects, policy, {
    context: scope.context,
    ...(vulnerabilities ? { vulnerabilities } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  if (store)
    await saveControlScan(
      store.db,
      'admission-audit',
      scope.liveName ?? (options.paths ?? []).join(' '),
      evaluation.results.map(({ source: _s, ...r }) => r),
    );
  // exempt namespaces are never evaluated, as the webhook never sees them
  const exempt = policy.exemptNamespaces.length ? picomatch(policy.exemptNamespaces) : () => false;
  const evaluated = scope.objects.filter((o) => {
    const ns = o.object.kind === 'Namespace' ? o.object.metadata.name : o.object.metadata.namespace;
    return !(ns && exempt(ns));
  });
  const standards = [...new Set(policy.groups.map((g) => g.standard))];
  const reportInput = (includePassed: boolean) => ({
    evaluation,
    errors: scope.errors,
    standard: standards.length === 1 ? standards[0]! : 'admission-policy',
    pssVersion: formatVersion(policy.pssVersion),
    includePassed,
    notImplemented: [],
    ...(scope.liveName ? { cluster: scope.liveName } : {}),
    head: {
      engine: 'admission-audit' as const,
      origin: scope.origin ? { cluster: scope.origin } : {},
      complete: scope.complete,
      assessed: assessedObjects(evaluated),
    },
    now: options.now ?? new Date(),
  });
  const report = scanReport(reportInput(options.includePassed === true));
  // the center learns which resources pass a control only from pass rows: what it is sent always has them
  const centerDocument =
    options.includePassed === true ? report.document : scanReport(reportInput(true)).document;
  const failed = evaluation.results.some((r) => r.status === 'fail' && !r.suppressedBy);
  return {
    document: report.document,
    centerDocument,
    report,
    evaluation,
    errors: scope.errors,
    scope,
    gate: { exitCode: options.exitOnViolation && failed ? 1 : 0 },
  };
}
