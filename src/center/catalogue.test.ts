import { describe, expect, it } from 'vitest';
import { CONTROLS as DOCKER_CONTROLS } from '../hardening/docker/controls/index.js';
import { CONTROLS as K8S_CONTROLS } from '../hardening/kubernetes/controls/index.js';
import { RULES } from '../runtime/rules/index.js';
import { CATALOGUE, catalogueEntry, RECOMMENDATION_ENTRIES } from './catalogue.js';
import { holds, SCORE_CONTROLS } from './score/controls/index.js';

describe('catalogue view', () => {
  it('holds every engine row once, with the engine’s own title, severity and remediation', () => {
    expect(CATALOGUE.filter((e) => e.source === 'docker')).toHaveLength(DOCKER_CONTROLS.length);
    expect(CATALOGUE.filter((e) => e.source === 'kubernetes')).toHaveLength(K8S_CONTROLS.length);
    expect(CATALOGUE.filter((e) => e.source === 'runtime')).toHaveLength(RULES.length);
    expect(new Set(CATALOGUE.map((e) => e.id)).size).toBe(CATALOGUE.length);
    // Results are mapped to controls by the engine's id alone: no Docker number may equal a Kubernetes id.
    const controls = CATALOGUE.filter((e) => e.kind === 'control');
    expect(new Set(controls.flatMap((e) => [e.control, e.id])).size).toBe(
      DOCKER_CONTROLS.length * 2 + K8S_CONTROLS.length,
    );
    const docker = DOCKER_CONTROLS.find((c) => c.id === '5.5')!;
    expect(catalogueEntry('docker-benchmark', '5.5')).toMatchObject({
      id: 'CIS-DOCKER-5.5',
      title: docker.title,
      severity: docker.severity,
      remediation: docker.remediation,
      version: docker.version,
      standards: ['cis-docker'],
    });
    const pod = K8S_CONTROLS.find((c) => c.id === 'K8S-POD-01')!;
    expect(catalogueEntry('admission-audit', 'K8S-POD-01')).toMatchObject({
      title: pod.title,
      severity: pod.severity,
    });
    expect(catalogueEntry('k8s-scan', 'K8S-POD-01')!.standards).toContain('cis-kubernetes');
  });

  it('puts every recommendation in exactly one security control of the score', () => {
    const orphans: string[] = [];
    const doubles: string[] = [];
    for (const entry of RECOMMENDATION_ENTRIES) {
      const n = SCORE_CONTROLS.filter((c) => holds(c, entry)).length;
      if (n === 0) orphans.push(entry.id);
      if (n > 1) doubles.push(entry.id);
    }
    expect(orphans).toEqual([]);
    expect(doubles).toEqual([]);
    expect(RECOMMENDATION_ENTRIES.some((e) => e.source === 'runtime')).toBe(false);
    expect(new Set(SCORE_CONTROLS.map((c) => c.name)).size).toBe(SCORE_CONTROLS.length);
    for (const c of SCORE_CONTROLS) expect(c.max).toBeGreaterThan(0);
  });
});
