import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BENCHMARKS } from './index.js';

describe('benchmark registry', () => {
  it('lists every benchmark file exactly once, with unique kebab-case names', () => {
    const support = new Set([
      'center-documents.ts',
      'center-seed.ts',
      'center-seed-process.ts',
      'index.ts',
      'paced-load.ts',
      'run.ts',
      'timing.ts',
      'types.ts',
    ]);
    const files = readdirSync(new URL('./', import.meta.url)).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !support.has(f),
    );
    expect(BENCHMARKS.map((b) => `${b.name}.ts`).sort()).toEqual(files.sort());
    for (const b of BENCHMARKS) expect(b.name).toMatch(/^[a-z][a-z0-9-]*$/);
  });
});
