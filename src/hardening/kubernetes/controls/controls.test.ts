import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { CORPUS_ROOT } from '../../../../test/corpus.js';
import { evaluate } from '../evaluate.js';
import { loadObjects } from '../objects/load.js';
import { parametersSchema } from '../parameters/schema.js';
import { catalogueAnchors, rowsAnchoredTo } from './anchors.js';
import { CONTROL_GROUPS, CONTROLS } from './index.js';
import { STANDARDS } from './types.js';

const here = new URL('.', import.meta.url).pathname;
const fixtures = join(here, '__fixtures__');
const NOT_GROUPS = new Set([
  'index.ts',
  'types.ts',
  'helpers.ts',
  'pss-rows.ts',
  'anchors.ts',
  'sandbox-network.ts',
  'credential-paths.ts',
  'load-balancer-tls.ts',
]);

const controlShape = z.object({
  id: z.string().regex(/^K8S-(POD|IMG|RES|SA|RBAC|NET|NS|REL|CL)-\d{2}$/),
  title: z.string().min(3),
  severity: z.enum(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW']),
  standards: z.array(z.enum(STANDARDS)),
  scope: z.enum(['M', 'M*', 'C']),
  version: z.number().int().positive(),
  remediation: z.string().min(10),
  check: z.function(),
});

function catalogueIds(): string[] {
  const file = join(CORPUS_ROOT, '..', 'reference', 'k8s-controls.md');
  const text = readFileSync(file, 'utf8');
  return [...new Set([...text.matchAll(/^\| (K8S-[A-Z]+-\d{2}) \|/gm)].map((m) => m[1]!))];
}

function load(file: string) {
  const { objects, errors } = loadObjects([{ name: file, text: readFileSync(file, 'utf8') }]);
  expect(errors).toEqual([]);
  return objects;
}

describe('control registry', () => {
  it('registers every group file of the folder', () => {
    const files = readdirSync(here).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !NOT_GROUPS.has(f),
    );
    expect(files.map((f) => f.replace(/\.ts$/, '')).sort()).toEqual(Object.keys(CONTROL_GROUPS).sort());
  });

  it('has unique ids and members of the control shape', () => {
    const ids = CONTROLS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of CONTROLS) expect(controlShape.safeParse(c).success, c.id).toBe(true);
  });

  it('holds every row of the catalogue and nothing else (134)', () => {
    const ids = catalogueIds();
    expect(ids).toHaveLength(134);
    expect(CONTROLS.map((c) => c.id).sort()).toEqual([...ids].sort());
  });

  it('has a fixture folder for every control and no stray folder', () => {
    expect(readdirSync(fixtures).sort()).toEqual(CONTROLS.map((c) => c.id).sort());
  });
});

describe.each(CONTROLS.map((c) => [c.id, c] as const))('%s', (id) => {
  const dir = join(fixtures, id);
  const paramsFile = join(dir, 'params.yaml');
  const parameters = parametersSchema.parse(
    existsSync(paramsFile) ? parse(readFileSync(paramsFile, 'utf8')) : {},
  );

  it.each(['pass', 'fail'] as const)('%s fixture gives that verdict on its first object', (verdict) => {
    const objects = load(join(dir, `${verdict}.yaml`));
    const subject = objects[0]!;
    const results = evaluate([subject], { controls: [id], parameters, context: objects.slice(1) });
    expect(
      results.map((r) => r.status),
      JSON.stringify(results.map((r) => r.message)),
    ).toEqual([verdict]);
  });
});

describe('catalogue anchors', () => {
  it('lists every control with the scope of its row, and standards that follow the anchors', () => {
    const rows = catalogueAnchors();
    expect(Object.keys(rows).sort()).toEqual(CONTROLS.map((c) => c.id).sort());
    for (const c of CONTROLS) {
      const { anchors, scope } = rows[c.id]!;
      expect(
        scope.startsWith(c.scope) || scope.includes(c.scope),
        `${c.id} scope ${c.scope} vs ${scope}`,
      ).toBe(true);
      expect(c.standards.includes('pss-baseline'), `${c.id} pss-baseline`).toBe(
        anchors.some((a) => a.startsWith('PSS-B:')),
      );
      expect(c.standards.includes('cis'), `${c.id} cis`).toBe(anchors.some((a) => a.startsWith('CIS:')));
      expect(c.standards.includes('nsa'), `${c.id} nsa`).toBe(anchors.some((a) => a.startsWith('NSA:')));
    }
    expect(rowsAnchoredTo('KS:C-0057')).toEqual(['K8S-POD-01']);
  });
});
