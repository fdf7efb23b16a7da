import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../corpus.js';
import { celComparison, celTemplates } from './suites/gatekeeper-cel.js';

interface TemplateIndex {
  templates: { kind: string; engines: string[]; heldOut: boolean }[];
}

const templateKind = (t: unknown) =>
  (t as { spec: { crd: { spec: { names: { kind: string } } } } }).spec.crd.spec.names.kind;

describe('gatekeeper-library suites through K8sNativeValidation (CEL) bodies', () => {
  const dir = corpusPath('manifests', 'gatekeeper-library');
  const templates = celTemplates();

  const index = JSON.parse(
    readFileSync(corpusPath('manifests', 'gatekeeper-library', 'templates.json'), 'utf8'),
  ) as TemplateIndex;
  const withCel = index.templates.filter((t) => t.engines.includes('K8sNativeValidation'));

  it('has a CEL body for every template that has one upstream (suites held out of the corpus included)', () => {
    expect(templates.map(templateKind).sort()).toEqual(withCel.map((t) => t.kind).sort());
  });

  it('gives the suite verdict and the native verdict on every case', () => {
    const cases = celComparison(dir, templates);
    const kinds = new Set(cases.map((c) => c.kind));
    const disagreements = cases
      .filter((c) => c.cel !== c.expected || c.cel !== c.native)
      .map(
        (c) =>
          `${c.id}: expected ${c.expected}, native ${c.native}, CEL ${c.cel} ${c.celMessages.join(' | ')}`,
      );
    expect(kinds.size).toBe(withCel.filter((t) => !t.heldOut).length);
    expect(cases.length).toBeGreaterThanOrEqual(90);
    expect(cases.filter((c) => c.expected).length).toBeGreaterThanOrEqual(40);
    expect(disagreements, disagreements.join('\n')).toEqual([]);
  });

  it('notices a CEL body that disagrees (the comparison can fail)', () => {
    const broken = templates.map((t) => {
      if (templateKind(t) !== 'K8sPSPPrivilegedContainer') return t;
      const copy = structuredClone(t) as {
        spec: { targets: { code: { source: { validations: { expression: string }[] } }[] }[] };
      };
      copy.spec.targets[0]!.code[0]!.source.validations[0]!.expression = 'true';
      return copy;
    });
    const cases = celComparison(dir, broken).filter((c) => c.kind === 'K8sPSPPrivilegedContainer');
    expect(cases.some((c) => c.cel !== c.expected)).toBe(true);
  });
});
