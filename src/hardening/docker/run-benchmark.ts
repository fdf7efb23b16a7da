import { hostname as osHostname } from 'node:os';
import type { Kysely } from 'kysely';
import type { Report } from '../../core/render/index.js';
import { SEVERITIES, type Severity } from '../../core/severity.js';
import { saveControlScan } from '../../store/control-scan.js';
import type { Database } from '../../store/schema.js';
import {
  type BenchResult,
  runControls,
  type Selection,
  selectControls,
  toControlResults,
} from './benchmark.js';
import { CONTROLS } from './controls/index.js';
import { collectEvidence } from './evidence/index.js';
import { benchmarkHead, type HostInventoryDocument, hostInventoryDocument } from './host-inventory.js';
import { type BenchmarkDocument, benchmarkDocument, benchmarkReport } from './report.js';
import type { Evidence } from './types.js';

export interface DockerBenchmarkOptions extends Selection {
  /** `unix:///path` or `tcp://host:port`. */
  dockerHost: string;
  /** Host file root (`/`, or where the host root is mounted). */
  root: string;
  excludeContainers?: readonly string[];
  trustedUsers?: readonly string[];
  /** The name the center files the host under (default: the host's own hostname, as the evidence reads it). */
  hostName?: string;
  /** Exit code when a control fails at one of `gateSeverities` (`--exit-code`); absent = no gate. */
  exitCode?: number;
  /** Severities that trip the gate (default all). */
  gateSeverities?: readonly Severity[];
  now?: Date;
}

/** One benchmark run: both documents (inventory first, as they are pushed), the results, and the gate. */
export interface DockerBenchmarkOutcome {
  inventory: HostInventoryDocument;
  document: BenchmarkDocument;
  report: Report;
  evidence: Evidence;
  results: BenchResult[];
  gate: { exitCode: number };
}

/**
 * Run the CIS Docker Benchmark against one host: collect the evidence once, run the selected controls, build the
 * DockerBenchmark and HostInventory documents, and save the results when a store is given. Never writes to stdout
 * or exits. `complete` is true only with every control and no excluded container.
 */
export async function runDockerBenchmark(
  options: DockerBenchmarkOptions,
  store?: { db: Kysely<Database> },
): Promise<DockerBenchmarkOutcome> {
  const controls = selectControls(options);
  const evidence = await collectEvidence({
    dockerHost: options.dockerHost,
    root: options.root,
    excludeContainers: options.excludeContainers ?? [],
    imageFiles: controls.some((c) => c.id === '4.8'),
    trustedUsers: options.trustedUsers ?? [],
  });
  const results = runControls(evidence, controls);
  const host = options.hostName || evidence.host.hostname || osHostname();
  const complete = controls.length === CONTROLS.length && evidence.excludedContainers.length === 0;
  const now = options.now ?? new Date();
  const document = benchmarkDocument(evidence, results, now, benchmarkHead(evidence, host, complete));
  const inventory = hostInventoryDocument(evidence, host, now);
  // one scan per run (kind and host), so that scans list/show/diff and store prune see it
  if (store) await saveControlScan(store.db, 'bench-docker', host, toControlResults(evidence, results), now);
  const severities = new Set(options.gateSeverities ?? SEVERITIES);
  const tripped =
    options.exitCode !== undefined && results.some((r) => r.status === 'fail' && severities.has(r.severity));
  return {
    inventory,
    document,
    report: benchmarkReport(document),
    evidence,
    results,
    gate: { exitCode: tripped ? options.exitCode! : 0 },
  };
}
