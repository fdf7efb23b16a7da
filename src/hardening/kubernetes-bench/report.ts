import type { AssessmentHead } from '../../core/assessment.js';
import { envelope } from '../../core/envelope.js';
import type { Report } from '../../core/render/index.js';
import type { JunitCase } from '../../core/render/junit.js';
import type { SarifResult } from '../../core/render/sarif.js';
import { BENCHMARKS, type BenchmarkInfo, type BenchResult, summarize } from './benchmark.js';
import type { BenchResource, Evidence, Target } from './types.js';

/** What the document says about the node: the components found and where their flags came from. */
function nodeOf(evidence: Evidence, targets: readonly Target[]) {
  return {
    hostname: evidence.hostname,
    root: evidence.root,
    targets,
    manifestDir: evidence.manifestDir,
    components: [...evidence.components.values()].map((c) => ({
      name: c.name,
      ...(c.process ? { pid: c.process.pid } : {}),
      source: c.process ? ('process' as const) : ('manifest' as const),
      ...(c.manifest ? { manifest: c.manifest } : {}),
      ...(c.config ? { config: c.config.path } : {}),
    })),
    ...(evidence.processError ? { processError: evidence.processError } : {}),
  };
}

/** The KubernetesBenchmark document. */
export function benchmarkDocument(
  evidence: Evidence,
  targets: readonly Target[],
  results: BenchResult[],
  now = new Date(),
  head?: AssessmentHead<BenchResource>,
  benchmark: BenchmarkInfo = BENCHMARKS['cis-1.12'],
  /** Why this benchmark, when the node chose it (no --benchmark). */
  detectedBy?: string,
) {
  return envelope(
    'KubernetesBenchmark',
    {
      ...head,
      benchmark: {
        id: benchmark.id,
        name: benchmark.name,
        version: benchmark.version,
        ...(detectedBy ? { detectedBy } : {}),
      },
      node: nodeOf(evidence, targets),
      summary: summarize(results),
      results,
    },
    now,
  );
}

export type KubernetesBenchmarkDocument = ReturnType<typeof benchmarkDocument>;

/** The views of a run: table grouped by section, JSON, JUnit and SARIF (as `bench docker`). */
export function benchmarkReport(doc: KubernetesBenchmarkDocument): Report {
  const { results } = doc;
  const sections = [...new Set(results.map((r) => r.section))];
  const info = BENCHMARKS[doc.benchmark.id];
  const SECTION_TITLES = info.sections;
  const ruleId = (id: string) => `${info.prefix}-${id}`;
  return {
    document: doc,
    table: () => ({
      title: `${doc.benchmark.name} v${doc.benchmark.version} — ${doc.node.hostname} (${doc.node.targets.join(', ') || 'nothing found'})`,
      columns: [
        { key: 'id', header: 'ID' },
        { key: 'status', header: 'STATUS' },
        { key: 'severity', header: 'SEVERITY' },
        { key: 'title', header: 'TITLE', maxWidth: 60 },
        { key: 'detail', header: 'DETAIL', maxWidth: 70 },
      ],
      sections: sections.map((s) => ({
        title: SECTION_TITLES[s] ?? s,
        rows: results
          .filter((r) => r.section === s)
          .map((r) => ({
            id: r.legacyId ? `${r.id} (${r.legacyId})` : r.id,
            status: r.status,
            severity: r.severity,
            title: r.title,
            detail: r.message,
          })),
      })),
      footer: [
        Object.entries(doc.summary)
          .map(([k, v]) => `${k}: ${v}`)
          .join('  '),
        `ids are ${doc.benchmark.id}'s; an earlier number is in brackets where it differs; manual recommendations that do not hold are warn`,
      ],
    }),
    junit: () => ({
      name: `${doc.benchmark.name} v${doc.benchmark.version}`,
      suites: sections.map((s) => ({
        name: SECTION_TITLES[s] ?? s,
        cases: results
          .filter((r) => r.section === s)
          .map((r): JunitCase => {
            const c: JunitCase = { name: `${r.id} ${r.title}`, classname: `cis-kubernetes.${s}` };
            if (r.status === 'fail' || r.status === 'warn' || r.status === 'error')
              c.failure = {
                message: r.message,
                type: r.status === 'error' ? 'error' : r.severity,
                details: [
                  r.message,
                  ...r.resources.map((x) => `${x.type} ${x.name}`),
                  `remediation: ${r.remediation}`,
                ].join('\n'),
              };
            else if (r.status === 'manual' || r.status === 'not_applicable' || r.status === 'info')
              c.skipped = `${r.status}: ${r.message}`;
            return c;
          }),
      })),
    }),
    sarif: () => ({
      rules: results.map((r) => ({
        id: ruleId(r.id),
        name: r.title,
        shortDescription: r.title,
        help: r.remediation,
        severity: r.severity,
        tags: ['cis-kubernetes', `level-${r.level}`, r.target],
      })),
      results: results
        .filter((r) => r.status === 'fail' || r.status === 'warn')
        .flatMap((r): SarifResult[] => {
          const resources = r.resources.length
            ? r.resources
            : [{ type: 'host' as const, id: doc.node.hostname, name: doc.node.hostname }];
          return resources.map((x) => ({
            ruleId: ruleId(r.id),
            message: `${r.title}: ${x.type} ${x.name} — ${r.message}`,
            severity: r.severity,
            locations: [
              {
                uri: x.type === 'file' ? x.id : `kubernetes:${x.type}/${encodeURIComponent(x.name)}`,
                logicalName: `${x.type} ${x.name}`,
              },
            ],
            fingerprint: `${r.id}/${x.type}/${x.id}`,
          }));
        }),
    }),
  };
}
