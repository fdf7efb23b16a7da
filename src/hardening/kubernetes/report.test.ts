import { describe, expect, it } from 'vitest';
import { evaluateDetailed } from './evaluate.js';
import { loadObjects } from './objects/load.js';
import { scanReport } from './report.js';

const pod = (privileged: boolean) => `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
  containers: [{name: c, image: nginx:1.27, securityContext: {privileged: ${privileged}}}]
`;

describe('scanReport summary', () => {
  it('counts the same object named in two files as two resources', () => {
    const { objects } = loadObjects([
      { name: 'a/pod.yaml', text: pod(true) },
      { name: 'b/pod.yaml', text: pod(false) },
    ]);
    const evaluation = evaluateDetailed(objects, { controls: ['K8S-POD-01'] });
    const report = scanReport({
      evaluation,
      errors: [],
      standard: 'all',
      pssVersion: 'latest',
      includePassed: false,
    });
    expect(report.document).toMatchObject({ summary: { resources: 2, healthy: 1, fail: 1 } });
  });
});

describe('scanReport document', () => {
  it('lists each result with its own resource, the results of one object sharing it', () => {
    const { objects } = loadObjects([
      { name: 'a/pod.yaml', text: pod(true) },
      { name: 'b/pod.yaml', text: pod(true) },
    ]);
    const evaluation = evaluateDetailed(objects);
    const report = scanReport({
      evaluation,
      errors: [],
      standard: 'all',
      pssVersion: 'latest',
      includePassed: true,
    });
    const results = (report.document as { results: { resource: Record<string, unknown> }[] }).results;
    expect(results).toHaveLength(evaluation.results.length);
    for (const file of ['a/pod.yaml', 'b/pod.yaml']) {
      const own = results.filter((r) => r.resource.file === file);
      expect(own.length).toBeGreaterThan(1);
      expect(own[0]!.resource).toEqual({
        apiVersion: 'v1',
        kind: 'Pod',
        namespace: 'shop',
        name: 'web',
        file,
        line: 1,
      });
      expect(own.every((r) => r.resource === own[0]!.resource)).toBe(true);
    }
  });
});

describe('scanReport laziness', () => {
  it('makes the document when it is first read, once, and the table without it', () => {
    const { objects } = loadObjects([{ name: 'pod.yaml', text: pod(true) }]);
    let reads = 0;
    const now = new Date('2026-01-02T03:04:05Z');
    const report = scanReport({
      evaluation: evaluateDetailed(objects),
      errors: [],
      standard: 'all',
      pssVersion: 'latest',
      includePassed: false,
      get head() {
        reads++;
        return { engine: 'k8s-scan' as const, origin: {}, complete: false, assessed: [] };
      },
      now,
    });
    expect(report.table().sections.length).toBeGreaterThan(0);
    expect(reads).toBe(0);
    const document = report.document;
    expect(reads).toBe(1);
    expect(report.document).toBe(document);
    expect(reads).toBe(1);
    expect(document).toMatchObject({
      kind: 'KubernetesScan',
      generatedAt: now.toISOString(),
      engine: 'k8s-scan',
    });
  });
});
