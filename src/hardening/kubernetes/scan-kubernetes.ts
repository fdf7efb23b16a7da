import type { Kysely } from 'kysely';
import type { Report } from '../../core/render/index.js';
import type { Severity } from '../../core/severity.js';
import { saveControlScan } from '../../store/control-scan.js';
import type { Database } from '../../store/schema.js';
import { type ClusterInventoryDocument, clusterInventoryDocument } from './cluster-inventory.js';
import type { StandardSelection } from './controls/types.js';
import type { Evaluation } from './evaluate.js';
import { celConstraintResults, compileCelConstraints } from './gatekeeper/cel-constraints.js';
import { readConstraintDir } from './gatekeeper/constraints.js';
import { evaluateWithConstraints } from './gatekeeper/evaluate.js';
import { Inventory } from './inventory.js';
import { kyvernoResults, readKyvernoPolicies } from './kyverno/posture.js';
import { assessedObjects, type LoadedScope, loadScope, type ScopeOptions } from './load-scope.js';
import type { LoadError } from './objects/types.js';
import type { Policy } from './parameters/policy-file.js';
import { parametersSchema } from './parameters/schema.js';
import type { PssVersion } from './pss/types.js';
import { formatVersion, parsePssVersion } from './pss/version.js';
import { complianceOf, gateFailures, scanReport } from './report.js';

export interface KubernetesScanOptions extends ScopeOptions {
  /** Parameters, exceptions, disabled controls (default: none). */
  policy?: Policy;
  standard?: StandardSelection;
  pssVersion?: PssVersion;
  /** Gatekeeper constraints directory. */
  constraints?: string;
  /** Kyverno ClusterPolicy/Policy files or directories: their validate rules run beside the catalogue. */
  kyverno?: string[];
  includePassed?: boolean;
  /** Exit 1 when an unsuppressed failure at or above `severityThreshold` (default LOW) remains. */
  exitOnFailure?: boolean;
  severityThreshold?: Severity;
  /** Exit 1 when fewer than this percentage of assessed results pass. */
  complianceThreshold?: number;
  now?: Date;
  /**
   * Count the catalogue's passes instead of keeping a result each (EvaluateOptions.countPasses), when nothing will
   * list them: ignored with `includePassed` and with disabled controls; `centerDocument` then cannot be made.
   */
  countPasses?: boolean;
}

/** One Kubernetes scan: the inventory and the KubernetesScan document, the evaluation, and the gate. */
export interface KubernetesScanOutcome {
  inventory: ClusterInventoryDocument;
  /** The KubernetesScan document (CONTRACTS.md). */
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
 * Assess Kubernetes objects (manifests and/or a live cluster) against the control catalogue: load the scope,
 * evaluate with the policy and constraints, build the KubernetesScan and ClusterInventory documents, and save the
 * results when a store is given. Never writes to stdout or exits; load errors come back in `errors`.
 */
export async function scanKubernetes(
  options: KubernetesScanOptions,
  store?: { db: Kysely<Database> },
): Promise<KubernetesScanOutcome> {
  const policy: Policy = options.policy ?? {
    parameters: parametersSchema.parse({}),
    exceptions: [],
    disabledControls: [],
  };
  // security first, as `k8s scan` without --standard: best-practice controls only when asked for
  const standard = options.standard ?? policy.standard ?? 'security';
  const pssVersion = options.pssVersion ?? parsePssVersion(policy.pssVersion);
  const scope = await loadScope(options, 'k8s scan');
  const constraints = options.constraints ? readConstraintDir(options.constraints) : undefined;
  const celConstraints = constraints ? compileCelConstraints(constraints.celDocuments) : undefined;
  const kyverno = options.kyverno?.length ? readKyvernoPolicies(options.kyverno) : undefined;
  const disabled = new Set(policy.disabledControls);
  // a disabled control's passes would have to be taken out of the counts, and of the objects that had a result
  const countPasses = options.countPasses === true && options.includePassed !== true && disabled.size === 0;
  const evaluation = evaluateWithConstraints(scope.objects, {
    countPasses,
    standard,
    pssVersion,
    parameters: policy.parameters,
    exceptions: policy.exceptions,
    context: scope.context,
    ...(policy.customControls ? { customControls: policy.customControls } : {}),
    ...(constraints ? { constraints: constraints.constraints } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  if (celConstraints?.constraints.length)
    evaluation.results.push(
      ...celConstraintResults(
        scope.objects,
        celConstraints,
        new Inventory([...scope.objects, ...(scope.context ?? [])]),
      ),
    );
  if (kyverno) {
    const namespaces = new Map(
      [...scope.objects, ...(scope.context ?? [])]
        .filter((o) => o.object.kind === 'Namespace' && o.object.metadata.name)
        .map((o) => [o.object.metadata.name!, o.object.metadata.labels ?? {}] as const),
    );
    evaluation.results.push(
      ...kyvernoResults(scope.objects, kyverno.policies, {
        namespaceLabels: (ns) => namespaces.get(ns),
        exceptions: kyverno.exceptions,
        // a live cluster is a background scan: admission-only policies (background: false) do not apply
        background: scope.liveName !== undefined,
      }),
    );
  }
  evaluation.results = evaluation.results.filter((r) => !disabled.has(r.control));
  // the results as they are: the store reads what it keeps of each (never `source`), a copy of each would cost as
  // much again as the evaluation
  if (store)
    await saveControlScan(
      store.db,
      'k8s',
      scope.liveName ?? (options.paths ?? []).join(' '),
      evaluation.results,
      undefined,
      evaluation.passes,
    );
  const now = options.now ?? new Date();
  const reportInput = (includePassed: boolean) => ({
    evaluation,
    errors: scope.errors,
    standard,
    pssVersion: formatVersion(pssVersion),
    includePassed,
    notImplemented: [...(constraints?.notImplemented ?? []), ...(kyverno?.unsupported ?? [])],
    ...(scope.liveName ? { cluster: scope.liveName } : {}),
    head: {
      engine: 'k8s-scan' as const,
      origin: scope.origin ? { cluster: scope.origin } : {},
      complete: scope.complete,
      assessed: assessedObjects(scope.objects),
    },
    now,
  });
  const report = scanReport(reportInput(options.includePassed === true));
  // the center learns which resources pass a control only from pass rows: what it is sent always has them
  // built only when asked for (a push): with every pass row it costs as much again as the report
  let centerDocument: object | undefined;
  const centerDocumentOf = () => {
    if (evaluation.passes)
      throw new Error('scanKubernetes: passes were counted, the center document lists them');
    centerDocument ??=
      options.includePassed === true ? report.document : scanReport(reportInput(true)).document;
    return centerDocument;
  };
  const inventory = clusterInventoryDocument({
    objects: scope.inScope,
    cluster: scope.cluster,
    ...(scope.origin ? { origin: scope.origin } : {}),
    complete: scope.complete,
    now,
  });
  let exitCode = 0;
  if (
    options.exitOnFailure &&
    gateFailures(evaluation.results, options.severityThreshold ?? 'LOW').length > 0
  )
    exitCode = 1;
  if (
    options.complianceThreshold !== undefined &&
    complianceOf(evaluation.results, evaluation.passes) < options.complianceThreshold
  )
    exitCode = 1;
  return {
    inventory,
    // as the report's: made when first read (a table never reads it)
    get document() {
      return report.document;
    },
    get centerDocument() {
      return centerDocumentOf();
    },
    report,
    evaluation,
    errors: scope.errors,
    scope,
    gate: { exitCode },
  };
}
