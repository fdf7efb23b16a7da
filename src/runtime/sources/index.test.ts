import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SOURCE_NAMES } from '../event.js';
import { SOURCES } from './index.js';

const sourceShape = z.object({
  name: z.enum(SOURCE_NAMES),
  description: z.string().min(10),
  decoder: z.custom<(...args: unknown[]) => unknown>((v) => typeof v === 'function'),
});

describe('event source registry', () => {
  it('registers every source file once, one per source name, each of the source shape', () => {
    const files = readdirSync(new URL('.', import.meta.url))
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'index.ts' && f !== 'types.ts')
      .map((f) => f.replace(/\.ts$/, ''));
    expect(SOURCES.map((s) => s.name).sort()).toEqual(files.sort());
    expect([...SOURCE_NAMES].sort()).toEqual(files.sort());
    for (const s of SOURCES) expect(sourceShape.safeParse(s).success, s.name).toBe(true);
  });
});
