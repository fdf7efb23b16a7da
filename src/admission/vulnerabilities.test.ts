import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VulnerabilityFinding } from '../core/results.js';
import type { Severity } from '../core/severity.js';
import { saveImageScan } from '../scan/persist.js';
import type { ScanResult } from '../scan/types.js';
import { latestImageFindings } from '../store/image-verdicts.js';
import type { Store } from '../store/index.js';
import { DIALECTS, freshDatabase, type TestDatabase } from '../store/test-support/dialects.js';
import { decide } from './decide.js';
import { parseAdmissionPolicy } from './policy-load.js';
import { parseReview } from './review.js';
import { pod, reviewBody } from './test-support.js';
import { type VulnerabilityIndex, vulnerabilityIndex } from './vulnerabilities.js';

function finding(id: string, severity: Severity): VulnerabilityFinding {
  return {
    id,
    aliases: [],
    package: { name: 'openssl', version: '3.0.0', type: 'deb', purl: 'pkg:deb/debian/openssl@3.0.0' },
    fixedVersion: null,
    status: 'affected',
    severity,
    severitySource: 'test',
    remediation: 'upgrade',
    dataSource: { id: 'test', name: 'test' },
  };
}

async function scan(
  store: Store,
  target: string,
  digest: string,
  findings: VulnerabilityFinding[],
  at: string,
) {
  const result = {
    target,
    artifact: { digest },
    healthy: findings.length === 0,
    summary: { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 },
    vulnerabilities: findings,
    fixUnits: [],
    suppressed: [],
    expiredExceptions: [],
    packages: 1,
  } satisfies ScanResult;
  await saveImageScan(store.db, { target, digest, packages: [] }, result, { now: new Date(at) });
}

const gate = (settings: { action?: string; unknownImages?: string } = {}) =>
  parseAdmissionPolicy(
    `apiVersion: bulkhead.dev/v1
kind: AdmissionPolicy
controls: []
vulnerabilities: ${JSON.stringify({ severity: 'high', ...settings })}
exceptions:
  - {id: CVE-2024-0003, reason: not reachable, namespaces: [payments]}
  - {id: K8S-IMG-09, reason: vendor image, names: [vendor-*]}
`,
    'gate.yaml',
  );

describe.each(DIALECTS)('vulnerability gate on stored scans (%s)', (dialect) => {
  let database: TestDatabase;
  let store: Store;
  let index: VulnerabilityIndex;
  beforeAll(async () => {
    database = await freshDatabase(dialect);
    store = await database.open();
    await scan(
      store,
      'docker://registry.local/app:1.0',
      'sha256:aaa',
      [finding('CVE-2024-0001', 'CRITICAL')],
      '2026-01-01T00:00:00Z',
    );
    // the latest scan of the image is the one that counts
    await scan(
      store,
      'docker://registry.local/app:1.0',
      'sha256:aaa',
      [finding('CVE-2024-0003', 'HIGH'), finding('CVE-2024-0004', 'LOW')],
      '2026-01-02T00:00:00Z',
    );
    await scan(
      store,
      'nginx:1.27',
      'sha256:bbb',
      [finding('CVE-2024-0002', 'MEDIUM')],
      '2026-01-02T00:00:00Z',
    );
    index = vulnerabilityIndex(await latestImageFindings(store.db));
  });
  afterAll(async () => {
    await store?.close();
    await database?.dispose();
  });

  const verdict = (image: string, policy = gate(), name = 'web', namespace = 'apps') => {
    const object = pod(name, { image });
    (object.metadata as { namespace: string }).namespace = namespace;
    return decide(parseReview(reviewBody({ namespace, object })), policy, { vulnerabilities: index });
  };

  it('denies images with stored findings at or above the severity, matched by digest else by reference', () => {
    const byRef = verdict('registry.local/app:1.0');
    expect(byRef.allowed).toBe(false);
    expect(byRef.review.response.status?.message).toMatch(
      /^\[K8S-IMG-09\] image registry\.local\/app:1\.0 has 1 vulnerability at or above HIGH \(CVE-2024-0003\)/,
    );
    expect(verdict('elsewhere.example/renamed@sha256:aaa').allowed).toBe(false);
    // below the threshold
    expect(verdict('docker.io/library/nginx:1.27').violations).toEqual([]);
    expect(verdict('nginx:1.27').allowed).toBe(true);
  });

  it('honours exceptions by vulnerability id and by K8S-IMG-09, scoped like posture exceptions', () => {
    expect(verdict('registry.local/app:1.0', gate(), 'web', 'payments').allowed).toBe(true);
    expect(verdict('registry.local/app:1.0', gate(), 'vendor-agent').allowed).toBe(true);
  });

  it('allows and audits unknown images by default; the rule is configurable', () => {
    const unknown = verdict('registry.local/never-scanned:1');
    expect(unknown.allowed).toBe(true);
    expect(unknown.review.response.auditAnnotations?.['k8s-img-09']).toMatch(/no stored scan/);
    expect(verdict('registry.local/never-scanned:1', gate({ unknownImages: 'deny' })).allowed).toBe(false);
    expect(verdict('registry.local/never-scanned:1', gate({ unknownImages: 'allow' })).violations).toEqual(
      [],
    );
    const warned = verdict('registry.local/app:1.0', gate({ action: 'warn' }));
    expect(warned.allowed).toBe(true);
    expect(warned.review.response.warnings?.[0]).toMatch(/^\[K8S-IMG-09\]/);
    // no stored scans at all: every image is unknown
    const none = decide(parseReview(reviewBody({ object: pod('x') })), gate({ unknownImages: 'deny' }));
    expect(none.allowed).toBe(false);
  });
});
