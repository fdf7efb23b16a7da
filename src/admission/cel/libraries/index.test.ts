import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CEL_LIBRARIES } from './index.js';

const shape = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  description: z.string().min(1),
  functions: z.array(z.string().regex(/^[\w.<>, ]+\(.*\): .+$/)).min(1),
  registerTypes: z.function(),
  registerFunctions: z.function(),
});

describe('CEL library registry', () => {
  it('registers every library file, each once, each well-formed', () => {
    const dir = fileURLToPath(new URL('.', import.meta.url));
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'index.ts')
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    expect(CEL_LIBRARIES.map((l) => l.id).sort()).toEqual(files);
    expect(new Set(CEL_LIBRARIES.map((l) => l.id)).size).toBe(CEL_LIBRARIES.length);
    for (const lib of CEL_LIBRARIES) expect(() => shape.parse(lib), lib.id).not.toThrow();
  });
});
