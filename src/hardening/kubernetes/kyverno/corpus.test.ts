import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { corpusPath } from '../../../../test/corpus.js';
import { walk } from '../objects/files.js';
import { loadObjects } from '../objects/load.js';
import type { KubeObject, LoadedObject } from '../objects/types.js';
import { evaluateKyvernoPolicy } from './engine.js';
import { mutateKyvernoPolicy } from './mutate/engine.js';
import { isKyvernoPolicy, type KyvernoPolicy, parseKyvernoPolicy } from './policy.js';

type Rec = Record<string, unknown>;

const root = corpusPath('manifests', 'kyverno-policies');

function objectsIn(file: string): LoadedObject[] {
  return loadObjects([{ name: file, text: readFileSync(file, 'utf8') }]).objects;
}

/** Every ClusterPolicy of the corpus, with the `.kyverno-test` beside it. */
const policyFiles = walk(root).filter(
  (f) => !f.includes('/.kyverno-test/') && objectsIn(f).some((o) => isKyvernoPolicy(o.object)),
);

interface Case {
  policy: string;
  rule: string;
  resource: string;
  want: string;
}

/** Run a policy's own CLI test cases through the engine; returns the cases that disagree (and how many ran). */
function runCases(
  policy: KyvernoPolicy,
  testDir: string,
): { ran: number; wrong: (Case & { got: string })[] } {
  const test = parse(readFileSync(join(testDir, 'kyverno-test.yaml'), 'utf8')) as Rec;
  const objects = (test.resources as string[]).flatMap((r) => objectsIn(join(testDir, r)));
  const wrong: (Case & { got: string })[] = [];
  let ran = 0;
  for (const r of test.results as Rec[]) {
    if (r.policy !== policy.name) continue;
    const rule = policy.rules.find((x) => x.name === r.rule);
    if (!rule || (rule.unsupported && !rule.mutate)) continue;
    for (const name of r.resources as string[]) {
      const subject = objects.find((o) => o.object.metadata.name === name && o.object.kind === r.kind);
      if (!subject) continue;
      const item = { ...subject, admission: { apiVersion: 'admission.k8s.io/v1', operation: 'CREATE' } };
      let got: string;
      if (rule.mutate) {
        const mutated = mutateKyvernoPolicy(policy, item);
        got = mutated.results.find((x) => x.rule === rule.name)?.status ?? 'skip';
        // the mutated resource is the one the test records as patched
        if (typeof r.patchedResources === 'string') {
          const want = objectsIn(join(testDir, r.patchedResources)).find(
            (o) => o.object.metadata.name === name && o.object.kind === r.kind,
          );
          if (!want || JSON.stringify(sorted(mutated.object)) !== JSON.stringify(sorted(want.object)))
            got = `patched differently: ${JSON.stringify(mutated.object)}`;
        }
      } else got = evaluateKyvernoPolicy(policy, item).find((x) => x.rule === rule.name)?.status ?? 'skip';
      ran++;
      if (got !== r.result)
        wrong.push({ policy: policy.name, rule: rule.name, resource: name, want: String(r.result), got });
    }
  }
  return { ran, wrong };
}

/** A JSON value with its map keys in order, to compare objects whatever order their files wrote keys in. */
function sorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sorted);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sorted((v as Rec)[k])]),
    );
  return v;
}

/** The same policy with every validate pattern replaced by one no test resource satisfies. */
function brokenPatterns(object: KubeObject): KubeObject {
  const copy = structuredClone(object);
  const broken = { metadata: { labels: { 'bulkhead.test/never-set': '?*' } } };
  for (const rule of ((copy.spec as Rec).rules as Rec[]) ?? []) {
    const v = rule.validate as Rec | undefined;
    if (v?.pattern) v.pattern = broken;
    if (v?.anyPattern) v.anyPattern = [broken];
  }
  return copy;
}

describe('Kyverno policies of the corpus run through the engine on their own .kyverno-test cases', () => {
  it('finds every ClusterPolicy of the corpus', () => {
    expect(policyFiles.length).toBeGreaterThanOrEqual(27);
  });

  it.each(policyFiles.map((f) => [basename(f), f]))('%s agrees with its kyverno-test results', (_n, file) => {
    const testDir = join(dirname(file), '.kyverno-test');
    expect(existsSync(testDir)).toBe(true);
    for (const o of objectsIn(file).filter((x) => isKyvernoPolicy(x.object))) {
      const policy = parseKyvernoPolicy(o.object, file);
      const { ran, wrong } = runCases(policy, testDir);
      expect(wrong).toEqual([]);
      // a policy Bulkhead can evaluate has cases that really ran
      if (policy.rules.some((r) => !r.unsupported)) expect(ran).toBeGreaterThan(0);
    }
  });

  it('a deliberately broken pattern fails the cases of every pattern policy', () => {
    let patternPolicies = 0;
    for (const file of policyFiles) {
      for (const o of objectsIn(file).filter((x) => isKyvernoPolicy(x.object))) {
        const rules = ((o.object.spec as Rec).rules as Rec[]) ?? [];
        if (
          !rules.some(
            (r) => (r.validate as Rec | undefined)?.pattern || (r.validate as Rec | undefined)?.anyPattern,
          )
        )
          continue;
        patternPolicies++;
        const testDir = join(dirname(file), '.kyverno-test');
        const good = runCases(parseKyvernoPolicy(o.object, file), testDir);
        const bad = runCases(parseKyvernoPolicy(brokenPatterns(o.object), file), testDir);
        expect(good.wrong, o.object.metadata.name).toEqual([]);
        expect(bad.wrong.length, o.object.metadata.name).toBeGreaterThan(0);
      }
    }
    expect(patternPolicies).toBeGreaterThanOrEqual(10);
  });

  it('a mutation that writes another value disagrees with the patched resources of every mutate policy', () => {
    let mutatePolicies = 0;
    for (const file of policyFiles) {
      for (const o of objectsIn(file).filter((x) => isKyvernoPolicy(x.object))) {
        const rules = ((o.object.spec as Rec).rules as Rec[]) ?? [];
        if (!rules.some((r) => r.mutate)) continue;
        mutatePolicies++;
        const testDir = join(dirname(file), '.kyverno-test');
        const copy = structuredClone(o.object);
        for (const r of ((copy.spec as Rec).rules as Rec[]) ?? [])
          if (r.mutate) r.mutate = JSON.parse(JSON.stringify(r.mutate).replaceAll('"true"', '"false"'));
        const good = runCases(parseKyvernoPolicy(o.object, file), testDir);
        const bad = runCases(parseKyvernoPolicy(copy, file), testDir);
        expect(good.wrong, o.object.metadata.name).toEqual([]);
        expect(good.ran, o.object.metadata.name).toBeGreaterThan(0);
        expect(bad.wrong.length, o.object.metadata.name).toBeGreaterThan(0);
      }
    }
    expect(mutatePolicies).toBeGreaterThanOrEqual(1);
  });
});
