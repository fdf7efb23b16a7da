import type { AssessmentHead } from '../../core/assessment.js';
import { compareNatural, compareText } from '../../core/collate.js';
import { envelope } from '../../core/envelope.js';
import type { JunitSuite } from '../../core/render/junit.js';
import { plural } from '../../core/render/plural.js';
import type { Report } from '../../core/render/report.js';
import type { SarifInput } from '../../core/render/sarif.js';
import { resourceLabel } from '../../core/resource.js';
import { type CountedPasses, countedPassTotal } from '../../core/results.js';
import { atLeast, compareSeverity, SEVERITIES, type Severity } from '../../core/severity.js';
import type { EvaluatedResult, Evaluation } from './evaluate.js';
import type { LoadError } from './objects/types.js';
import { percentText, postureTable } from './report-table.js';

export interface ScanReportInput {
  evaluation: Evaluation;
  errors: LoadError[];
  standard: string;
  pssVersion: string;
  includePassed: boolean;
  /** Constraint kinds read that have no native check, Kyverno rules not evaluated, and other notes. */
  notImplemented?: { kind: string; name: string; file?: string }[];
  cluster?: string;
  /** engine, origin, complete, assessed: given by the engine entry points (k8s scan, admission audit). */
  head?: AssessmentHead<AssessedObject>;
  now?: Date;
}

/** An object a Kubernetes assessment evaluated. */
export interface AssessedObject {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** Unsuppressed failures at or above `threshold`: what `--exit-code` gates on. */
export function gateFailures(results: readonly EvaluatedResult[], threshold: Severity): EvaluatedResult[] {
  return results.filter((r) => r.status === 'fail' && !r.suppressedBy && atLeast(r.severity, threshold));
}

/**
 * Percentage of assessed results that pass (suppressed failures left out), two decimals; 100 when nothing was
 * assessed. What `--compliance-threshold` gates on, as Kubescape's compliance score does. `passes`: those counted
 * rather than kept (EvaluateOptions.countPasses).
 */
export function complianceOf(results: readonly EvaluatedResult[], passes?: CountedPasses): number {
  const pass = results.filter((r) => r.status === 'pass').length + countedPassTotal(passes);
  const fail = results.filter((r) => r.status === 'fail' && !r.suppressedBy).length;
  return pass + fail === 0 ? 100 : Math.floor((pass / (pass + fail)) * 10_000) / 100;
}

/** What a result says of the object it concerns (a counted pass's object says the same). */
type Assessed = Pick<EvaluatedResult, 'resource' | 'source'>;

/**
 * `make(r)` once per resource object and source (the results of one object share both), not once per result: the
 * 120,000 failures of 10,000 objects get 10,000 values.
 */
function perObject<T>(make: (r: Assessed) => T): (r: Assessed) => T {
  const made = new Map<object, { source: object; value: T }>();
  return (r) => {
    const known = made.get(r.resource);
    if (known?.source === r.source) return known.value;
    const value = make(r);
    made.set(r.resource, { source: r.source, value });
    return value;
  };
}

/** A result's resource in the document: what it is and where it was read. */
function jsonResource(r: Assessed) {
  return {
    apiVersion: r.resource.apiVersion,
    kind: r.resource.kind,
    ...(r.resource.namespace ? { namespace: r.resource.namespace } : {}),
    name: r.resource.name,
    ...(r.source.file ? { file: r.source.file } : {}),
    ...(r.source.line ? { line: r.source.line } : {}),
  };
}

function jsonResult(r: EvaluatedResult, resource: ReturnType<typeof jsonResource>) {
  return {
    control: r.control,
    title: r.title,
    severity: r.severity,
    standards: r.standards,
    resource,
    status: r.status,
    message: r.message,
    ...(r.field ? { field: r.field } : {}),
    remediation: r.remediation,
    ...(r.suppressedBy ? { suppressedBy: r.suppressedBy } : {}),
  };
}

/** The document's results: the results of one object share its resource (JSON text the same as a copy each). */
function resultsJson(shown: readonly EvaluatedResult[]) {
  const resourceOf = perObject(jsonResource);
  return shown.map((r) => jsonResult(r, resourceOf(r)));
}

/** The `KubernetesScan` document: the run's head and summary, then every shown result. */
function scanDocument(input: ScanReportInput, summary: object, shown: readonly EvaluatedResult[], at: Date) {
  return envelope(
    'KubernetesScan',
    {
      ...input.head,
      standard: input.standard,
      pssVersion: input.pssVersion,
      ...(input.cluster ? { cluster: input.cluster } : {}),
      summary,
      errors: input.errors,
      expiredExceptions: input.evaluation.expiredExceptions.map((e) => ({
        id: e.exception.id,
        reason: e.exception.reason,
        expires: e.exception.expires,
        control: e.control,
        resource: e.resource.id,
      })),
      notImplemented: input.notImplemented ?? [],
      results: resultsJson(shown),
    },
    at,
  );
}

/** The `KubernetesScan` document and its table, SARIF and JUnit views (CONTRACTS.md). */
export function scanReport(input: ScanReportInput): Report {
  const all = input.evaluation.results;
  const counted = input.evaluation.passes;
  const shown = all
    .filter((r) => input.includePassed || r.status !== 'pass')
    .sort(
      (a, b) =>
        compareText(a.resource.id, b.resource.id) ||
        compareSeverity(a.severity, b.severity) ||
        compareNatural(a.control, b.control),
    );
  const failing = all.filter((r) => r.status === 'fail' && !r.suppressedBy);
  const bySeverity = Object.fromEntries(
    SEVERITIES.map((s) => [s, failing.filter((r) => r.severity === s).length]),
  );
  // Manifests in different files may name the same object: each file's copy is a resource of its own.
  const where = perObject((r) => `${r.source.file ?? ''}\u0000${r.resource.id}`);
  const resources = new Set(all.map(where));
  for (const o of counted?.objects ?? []) resources.add(where(o));
  const unhealthy = new Set(failing.map(where));
  const summary = {
    resources: resources.size,
    healthy: resources.size - unhealthy.size,
    pass: all.filter((r) => r.status === 'pass').length + countedPassTotal(counted),
    fail: failing.length,
    suppressed: all.filter((r) => r.suppressedBy).length,
    compliance: complianceOf(all, counted),
    ...bySeverity,
  };
  // made when first asked for, once: a table never needs the 120,000 results of the document
  const at = input.now ?? new Date();
  let document: object | undefined;
  const documentOf = () => (document ??= scanDocument(input, summary, shown, at));
  return {
    get document() {
      return documentOf();
    },
    table: () =>
      postureTable({
        title: `Kubernetes scan (${input.standard}, PSS ${input.pssVersion})`,
        all,
        ...(counted ? { passes: counted } : {}),
        shown,
        footer: [
          `${plural(summary.resources, 'resource')}, ${summary.healthy} healthy; ${plural(summary.fail, 'failing result')} (${SEVERITIES.map((s) => `${s} ${bySeverity[s]}`).join(', ')}), ${summary.suppressed} suppressed; compliance ${percentText(summary.pass, summary.fail)}`,
          ...input.errors.map(
            (e) =>
              `skipped ${e.file}${e.docIndex !== undefined ? ` document ${e.docIndex}` : ''}: ${e.reason}`,
          ),
          ...input.evaluation.expiredExceptions.map(
            (e) =>
              `expired exception ${e.exception.id} (${e.exception.expires}) no longer suppresses ${e.control} on ${e.resource.id}`,
          ),
          ...(input.notImplemented ?? []).map((n) =>
            n.kind === 'ClusterPolicy' || n.kind === 'Policy'
              ? `Kyverno rule not evaluated: ${n.kind} ${n.name}`
              : `constraint ${n.kind} ${n.name} not evaluated: its template is Rego only and the kind has no native check`,
          ),
        ],
      }),
    sarif: (): SarifInput => {
      const fails = shown.filter((r) => r.status === 'fail' && !r.suppressedBy);
      const rules = new Map(fails.map((r) => [r.control, r]));
      return {
        rules: [...rules.values()].map((r) => ({
          id: r.control,
          name: r.title,
          shortDescription: r.title,
          help: r.remediation,
          severity: r.severity,
          tags: ['kubernetes', ...r.standards],
        })),
        results: fails.map((r) => ({
          ruleId: r.control,
          message: `${resourceLabel(r.resource)}: ${r.message}`,
          severity: r.severity,
          locations: [
            {
              uri: r.source.file ?? `k8s://${r.resource.id}`,
              ...(r.source.line ? { startLine: r.source.line } : {}),
              logicalName: resourceLabel(r.resource),
            },
          ],
          fingerprint: `${r.control}/${r.resource.id}`,
          ...(r.field ? { properties: { field: r.field } } : {}),
        })),
      };
    },
    junit: () => {
      const suites = new Map<string, JunitSuite>();
      for (const r of shown) {
        const name = resourceLabel(r.resource);
        if (!suites.has(name)) suites.set(name, { name, cases: [] });
        suites.get(name)!.cases.push({
          name: `${r.control} ${r.title}`,
          classname: name,
          ...(r.status === 'fail' && !r.suppressedBy
            ? { failure: { message: r.message, type: r.severity, details: r.remediation } }
            : {}),
          ...(r.suppressedBy ? { skipped: `suppressed: ${r.suppressedBy.reason}` } : {}),
        });
      }
      return { name: 'bulkhead k8s scan', suites: [...suites.values()] };
    },
  };
}
