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
