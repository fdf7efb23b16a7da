import { errorMessage, UserInputError } from '../../core/errors.js';
import type { ResourceRef } from '../../core/resource.js';
import type { ControlResult, ControlStatus } from '../../core/results.js';
import type { Severity } from '../../core/severity.js';
import { CONTROLS } from './controls/index.js';
import type { BenchResource, Control, Evidence } from './types.js';

export const BENCHMARK = { name: 'CIS Docker Benchmark', version: '1.8.0', legacyVersion: '1.6.0' } as const;

/** One row of the DockerBenchmark document (CONTRACTS.md). */
export interface BenchResult {
  id: string;
  /** The same recommendation's number in v1.6.0/v1.7.0 (null when new in v1.8.0). */
  legacyId: string | null;
  title: string;
  section: string;
  level: 1 | 2;
  automated: boolean;
  status: ControlStatus;
  severity: Severity;
  message: string;
  resources: BenchResource[];
  evidence: unknown;
  remediation: string;
}

export interface Selection {
  level?: 1 | 2;
  /** Control ids (v1.8.0) or section prefixes (`5`, `1.1`). */
  checks?: readonly string[];
  /** Ids or sections left out, after `checks` (docker-bench-security's `-e`). */
  excludeChecks?: readonly string[];
}

/** The controls to run: level 1 = level-1 only, level 2 = both (the profiles nest). */
export function selectControls(selection: Selection, controls: readonly Control[] = CONTROLS): Control[] {
  const ids = (list: readonly string[] | undefined, flag: string) => {
    const out = (list ?? [])
      .flatMap((c) => c.split(','))
      .map((c) => c.trim())
      .filter(Boolean);
    for (const id of out)
      if (!controls.some((c) => c.id === id || c.id.startsWith(`${id}.`)))
        throw new UserInputError(flag, `"${id}" is not a CIS Docker Benchmark v1.8.0 id or section`);
    return out;
  };
  const checks = ids(selection.checks, '--check');
  const excluded = ids(selection.excludeChecks, '--exclude-check');
  const covers = (list: string[], c: Control) => list.some((x) => c.id === x || c.id.startsWith(`${x}.`));
  return controls.filter(
    (c) =>
      (selection.level === undefined || c.level <= selection.level) &&
      (checks.length === 0 || covers(checks, c)) &&
      !covers(excluded, c),
  );
}

const RESOURCE_ORDER = ['host', 'daemon', 'file', 'network', 'image', 'container'];

function sortResources(resources: BenchResource[]): BenchResource[] {
  const seen = new Set<string>();
  return resources
    .filter((r) => {
      const key = `${r.type}\0${r.id}\0${r.name}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort(
      (a, b) =>
        RESOURCE_ORDER.indexOf(a.type) - RESOURCE_ORDER.indexOf(b.type) ||
        (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
}

/** Run the controls over the evidence; a control that throws becomes `error`, never a pass. */
export function runControls(evidence: Evidence, controls: readonly Control[]): BenchResult[] {
  return controls.map((control) => {
    let outcome: ReturnType<Control['check']>;
    try {
      outcome = control.check(evidence);
    } catch (error) {
      outcome = { status: 'error', message: `check failed: ${errorMessage(error)}` };
    }
    return {
      id: control.id,
      legacyId: control.legacyId,
      title: control.title,
      section: control.section,
      level: control.level,
      automated: control.automated,
      status: outcome.status,
      severity: control.severity,
      message: outcome.message,
      resources: sortResources(outcome.resources ?? []),
      evidence: outcome.evidence ?? null,
      remediation: control.remediation,
    };
  });
}

export type Summary = Record<ControlStatus, number>;

export function summarize(results: readonly BenchResult[]): Summary {
  const summary: Summary = { pass: 0, fail: 0, warn: 0, info: 0, manual: 0, not_applicable: 0, error: 0 };
  for (const r of results) summary[r.status]++;
  return summary;
}

/**
 * Where a result about a benchmark resource is kept: the host itself as the host, anything else (container, image,
 * daemon, file, network) as that resource on the host. The same placement as the center's.
 */
function placed(host: ResourceRef, r: BenchResource): ResourceRef {
  if (r.type === 'host' && r.id === host.id) return host;
  return { type: r.type, id: r.id, name: r.name, parent: host };
}

/**
 * The results as control results for the store: one per resource a result names (so that a container's results
 * come and go with it), or one of the host when it names none.
 */
export function toControlResults(evidence: Evidence, results: readonly BenchResult[]): ControlResult[] {
  const host: ResourceRef = { type: 'host', id: evidence.host.hostname, name: evidence.host.hostname };
  const versions = new Map(CONTROLS.map((c) => [c.id, c.version]));
  return results.flatMap((r) => {
    const common = {
      control: `cis-docker-${r.id}`,
      controlVersion: versions.get(r.id) ?? 1,
      title: r.title,
      severity: r.severity,
      standards: [
        `CIS Docker Benchmark v${BENCHMARK.version} ${r.id}`,
        ...(r.legacyId ? [`CIS Docker Benchmark v${BENCHMARK.legacyVersion} ${r.legacyId}`] : []),
      ],
      status: r.status,
      message: r.message,
      remediation: r.remediation,
    };
    if (r.resources.length === 0)
      return [{ ...common, resource: host, evidence: { resources: [], evidence: r.evidence } }];
    return r.resources.map((res) => ({
      ...common,
      resource: placed(host, res),
      evidence: { resources: [res], evidence: r.evidence },
    }));
  });
}
