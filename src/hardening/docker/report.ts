import type { AssessmentHead } from '../../core/assessment.js';
import { envelope } from '../../core/envelope.js';
import type { Report } from '../../core/render/index.js';
import type { JunitCase } from '../../core/render/junit.js';
import { plural } from '../../core/render/plural.js';
import type { SarifResult } from '../../core/render/sarif.js';
import { BENCHMARK, type BenchResult, summarize } from './benchmark.js';
import { SECTION_TITLES } from './controls/index.js';
import { benchmarkTable } from './report-table.js';
import type { BenchResource, Evidence } from './types.js';

/**
 * The DockerBenchmark document. `head` (engine, origin, complete, assessed) is given by the engine entry point;
 * callers that only render results may leave it out.
 */
export function benchmarkDocument(
  evidence: Evidence,
  results: BenchResult[],
  now = new Date(),
  head?: AssessmentHead<BenchResource>,
) {
  return envelope(
    'DockerBenchmark',
    {
      ...head,
      benchmark: { name: BENCHMARK.name, version: BENCHMARK.version, legacyVersion: BENCHMARK.legacyVersion },
      host: {
        hostname: evidence.host.hostname,
        dockerVersion: evidence.version.Version,
        apiVersion: evidence.version.ApiVersion,
        dockerHost: evidence.endpoint.display,
        operatingSystem: evidence.info.OperatingSystem,
        images: evidence.images.length,
        containers: evidence.containers.length,
        excludedContainers: evidence.excludedContainers,
      },
      summary: summarize(results),
      results,
    },
    now,
  );
}

export type BenchmarkDocument = ReturnType<typeof benchmarkDocument>;

function locationUri(r: BenchResource): string {
  if (r.type === 'file') return r.id;
  return `docker:${r.type}/${encodeURIComponent(r.name || r.id)}`;
}

/** The views of a benchmark run: table grouped by section, JSON, JUnit and SARIF. */
export function benchmarkReport(doc: BenchmarkDocument): Report {
  const { results } = doc;
  const sections = [...new Set(results.map((r) => r.section))];
  return {
    document: doc,
    table: () =>
      benchmarkTable(
        `${doc.benchmark.name} v${doc.benchmark.version} — ${doc.host.hostname} (Docker ${doc.host.dockerVersion}, ${plural(doc.host.containers, 'container')}, ${plural(doc.host.images, 'image')})`,
        results,
        [
          Object.entries(doc.summary)
            .map(([k, v]) => `${k}: ${v}`)
            .join('  '),
          'ids are v1.8.0; the v1.6.0/v1.7.0 number is in brackets where it differs',
        ],
      ),
    junit: () => ({
      name: `${doc.benchmark.name} v${doc.benchmark.version}`,
      suites: sections.map((s) => ({
        name: SECTION_TITLES[s] ?? s,
        cases: results
          .filter((r) => r.section === s)
          .map((r): JunitCase => {
            const c: JunitCase = { name: `${r.id} ${r.title}`, classname: `cis-docker.${s}` };
            if (r.status === 'fail' || r.status === 'warn' || r.status === 'error')
              c.failure = {
                message: r.message,
                type: r.status === 'error' ? 'error' : r.severity,
                details: [
                  r.message,
                  ...r.resources.map((x) => `${x.type} ${x.name} (${x.id})`),
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
        id: `CIS-DOCKER-${r.id}`,
        name: r.title,
        shortDescription: r.title,
        help: r.remediation,
        severity: r.severity,
        tags: ['cis-docker', `level-${r.level}`],
      })),
      results: results
        .filter((r) => r.status === 'fail' || r.status === 'warn')
        .flatMap((r): SarifResult[] => {
          const resources = r.resources.length
            ? r.resources
            : [{ type: 'host' as const, id: doc.host.hostname, name: doc.host.hostname }];
          return resources.map((x) => ({
            ruleId: `CIS-DOCKER-${r.id}`,
            message: `${r.title}: ${x.type} ${x.name} — ${r.message}`,
            severity: r.severity,
            locations: [{ uri: locationUri(x), logicalName: `${x.type} ${x.name}` }],
            fingerprint: `${r.id}/${x.type}/${x.id}`,
          }));
        }),
    }),
  };
}
