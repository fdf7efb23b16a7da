import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPORT_KINDS } from './index.js';

const HELPERS = ['common.ts', 'docker-host.ts', 'index.ts'];

describe('report kinds', () => {
  it('lists every kind file of the folder once, each kind named once', () => {
    const files = readdirSync(fileURLToPath(new URL('.', import.meta.url)))
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !HELPERS.includes(f))
      .sort();
    const kebab = (s: string) => s.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();
    expect(REPORT_KINDS.map((k) => `${kebab(k.kind)}.ts`).sort()).toEqual(files);
    expect(new Set(REPORT_KINDS.map((k) => k.kind)).size).toBe(REPORT_KINDS.length);
  });

  it('files the kinds the CLI writes, including the inventories', () => {
    expect(REPORT_KINDS.map((k) => k.kind).sort()).toEqual([
      'ClusterInventory',
      'DockerBenchmark',
      'HostInventory',
      'ImageScan',
      'KubernetesBenchmark',
      'KubernetesScan',
      'RuntimeAlerts',
    ]);
  });
});
