import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sharedPath } from '../../../../test/scenarios.js';
import { SEVERITIES } from '../../../core/severity.js';
import { CONTROLS, SECTION_TITLES } from './index.js';

const controlShape = z.object({
  id: z.string().regex(/^\d+(\.\d+)+$/),
  legacyId: z
    .string()
    .regex(/^\d+(\.\d+)+$/)
    .nullable(),
  title: z.string().min(10),
  section: z.string().refine((s) => s in SECTION_TITLES),
  level: z.union([z.literal(1), z.literal(2)]),
  automated: z.boolean(),
  severity: z.enum(SEVERITIES),
  version: z.number().int().positive(),
  remediation: z.string().min(20),
  check: z.function(),
});

interface TsvRow {
  id: string;
  title: string;
  section: string;
  automated: string;
  level: string;
  legacyId: string;
}

function readTsv(): TsvRow[] {
  const text = readFileSync(sharedPath('reference', 'cis-docker-controls.tsv'), 'utf8');
  const [header, ...lines] = text.split('\n').filter(Boolean);
  const cols = header!.split('\t');
  return lines.map((line) => {
    const f = line.split('\t');
    const get = (name: string) => f[cols.indexOf(name)] ?? '';
    return {
      id: get('id'),
      title: get('title')
        .replace(/^"(.*)"$/, '$1')
        .replace(/""/g, '"'),
      section: get('section').split(' ')[0]!,
      automated: get('automated'),
      level: get('level'),
      legacyId: get('id_v1.6.0'),
    };
  });
}

describe('CIS Docker control registry', () => {
  it('registers every file of the controls folder', async () => {
    const support = new Set(['index.ts', 'helpers.ts', 'container-facts.ts', 'daemon-facts.ts']);
    const files = readdirSync(new URL('./', import.meta.url)).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !support.has(f),
    );
    const registered = new Set<string>();
    for (const file of files) {
      const mod = (await import(`./${file.slice(0, -3)}.js`)) as Record<string, unknown>;
      const lists = Object.values(mod).filter(Array.isArray) as unknown[][];
      expect(lists.length, `${file} exports a control list`).toBeGreaterThan(0);
      for (const list of lists)
        for (const c of list) {
          expect(CONTROLS, `${file}: ${(c as { id: string }).id} is registered`).toContain(c);
          registered.add((c as { id: string }).id);
        }
    }
    expect(registered.size).toBe(CONTROLS.length);
  });

  it('has unique ids and members of the control shape', () => {
    const ids = CONTROLS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of CONTROLS) expect(() => controlShape.parse(c), c.id).not.toThrow();
  });

  it('has exactly one control per row of the reference TSV, with its title, section, level and ids', () => {
    const rows = readTsv();
    expect(rows).toHaveLength(118);
    expect(CONTROLS.map((c) => c.id)).toEqual(rows.map((r) => r.id));
    for (const row of rows) {
      const c = CONTROLS.find((x) => x.id === row.id)!;
      expect(c.title, row.id).toBe(row.title);
      expect(c.section, row.id).toBe(row.section);
      expect(String(c.level), row.id).toBe(row.level);
      expect(c.automated ? 'yes' : 'no', row.id).toBe(row.automated);
      expect(c.legacyId ?? '-', row.id).toBe(row.legacyId);
    }
  });
});
