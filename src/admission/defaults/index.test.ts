import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ADMISSION_DEFAULTS } from './index.js';

const here = dirname(fileURLToPath(import.meta.url));
const kebab = (id: string) => id.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

describe('admission defaults registry', () => {
  it('lists every default file of the folder once, each named after its key', () => {
    const files = readdirSync(here)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'index.ts' && f !== 'types.ts')
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    expect(ADMISSION_DEFAULTS.map((d) => kebab(d.id)).sort()).toEqual(files);
    expect(new Set(ADMISSION_DEFAULTS.map((d) => d.id)).size).toBe(ADMISSION_DEFAULTS.length);
  });

  it('each default fills an empty Pod, and filling it again changes nothing', () => {
    const sample: Record<string, unknown> = {
      runAsNonRoot: true,
      runAsUser: 7,
      runAsGroup: 7,
      fsGroup: 7,
      seccompProfile: 'RuntimeDefault',
      dropAllCapabilities: true,
      allowPrivilegeEscalation: false,
      labels: { a: 'b' },
      annotations: { a: 'b' },
    };
    for (const d of ADMISSION_DEFAULTS) {
      expect(Object.hasOwn(sample, d.id), d.id).toBe(true);
      const value = d.schema.parse(sample[d.id]);
      const empty = { metadata: {}, spec: { containers: [{ name: 'c' }] } };
      d.apply(empty, value);
      expect(JSON.stringify(empty), d.id).not.toBe(
        JSON.stringify({ metadata: {}, spec: { containers: [{ name: 'c' }] } }),
      );
      const once = structuredClone(empty);
      d.apply(once, value);
      expect(once, `${d.id} twice`).toEqual(empty);
    }
  });
});
