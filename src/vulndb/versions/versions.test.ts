import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { schemeFor, VERSION_SCHEMES, type VersionScheme } from './index.js';

const Vectors = z.object({
  source: z.string(),
  ordered: z.array(z.array(z.string())).optional(),
  ordered_table: z.array(z.tuple([z.string(), z.string()])).optional(),
  compare: z.array(z.tuple([z.string(), z.enum(['<', '=', '>']), z.string()])).optional(),
  vercmp: z.array(z.tuple([z.string(), z.string(), z.number()])).optional(),
  equal: z.array(z.tuple([z.string(), z.string()])).optional(),
  less: z.array(z.tuple([z.string(), z.string()])).optional(),
  valid: z.array(z.string()).optional(),
  invalid: z.array(z.string()).optional(),
  ranges: z.array(z.tuple([z.string(), z.string(), z.boolean()])).optional(),
});

const fixtures = new URL('./__fixtures__/', import.meta.url);
const sign = (n: number) => Math.sign(n);

function vectors(name: string) {
  return Vectors.parse(JSON.parse(readFileSync(new URL(`${name}.json`, fixtures), 'utf8')));
}

describe('version scheme registry', () => {
  it('lists every scheme file once, with unique names and the scheme shape', () => {
    const support = new Set(['index.ts', 'types.ts', 'range.ts']);
    const files = readdirSync(new URL('./', import.meta.url)).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !support.has(f),
    );
    expect(VERSION_SCHEMES.map((s) => `${s.name}.ts`).sort()).toEqual(files.sort());
    const Shape = z.object({
      name: z.string().regex(/^[a-z][a-z0-9-]*$/),
      description: z.string().min(1),
      namespaces: z.array(z.string()).min(1),
      valid: z.function(),
      compare: z.function(),
      inRange: z.function(),
    });
    for (const s of VERSION_SCHEMES) Shape.parse(s);
    expect(new Set(VERSION_SCHEMES.map((s) => s.name)).size).toBe(VERSION_SCHEMES.length);
  });

  it('has upstream vectors for every scheme', () => {
    const files = readdirSync(fixtures).map((f) => f.replace(/\.json$/, ''));
    expect(files.sort()).toEqual(VERSION_SCHEMES.map((s) => s.name).sort());
  });

  it.each([
    ['deb/debian/12', 'dpkg'],
    ['deb/ubuntu/22.04', 'dpkg'],
    ['Debian:12', 'dpkg'],
    ['apk/alpine/3.10', 'apk'],
    ['apk/wolfi/rolling', 'apk'],
    ['rpm/redhat/9', 'rpm'],
    ['npm', 'npm'],
    ['nodejs', 'npm'],
    ['pypi', 'pep440'],
    ['PyPI', 'pep440'],
    ['go', 'go'],
    ['golang', 'go'],
    ['cargo', 'semver'],
    ['crates.io', 'semver'],
    ['maven', 'maven'],
  ])('schemeFor(%s) is %s', (ns, name) => {
    expect(schemeFor(ns)?.name).toBe(name);
  });

  it('has no scheme for an unknown namespace', () => {
    expect(schemeFor('nuget')).toBeUndefined();
  });
});

describe.each(VERSION_SCHEMES.map((s) => [s.name, s] as [string, VersionScheme]))(
  '%s vectors',
  (name, scheme) => {
    const v = vectors(name);

    it('orders each ordered list strictly (every pair, both directions)', () => {
      for (const list of v.ordered ?? []) {
        for (let i = 0; i < list.length; i++) {
          for (let j = i + 1; j < list.length; j++) {
            expect(sign(scheme.compare(list[i]!, list[j]!)), `${list[i]} < ${list[j]}`).toBe(-1);
            expect(sign(scheme.compare(list[j]!, list[i]!)), `${list[j]} > ${list[i]}`).toBe(1);
          }
        }
      }
    });

    it('matches the ordered table with canonical forms (x/mod/semver style)', () => {
      const table = v.ordered_table ?? [];
      for (let i = 0; i < table.length; i++) {
        for (let j = 0; j < table.length; j++) {
          const [a, ca] = table[i]!;
          const [b, cb] = table[j]!;
          const want = ca === cb ? 0 : i < j ? -1 : 1;
          expect(sign(scheme.compare(a, b)), `${a} vs ${b}`).toBe(want);
        }
        expect(scheme.valid(table[i]![0]), table[i]![0]).toBe(table[i]![1] !== '');
      }
    });

    it('gives the published comparison results', () => {
      const op = { '<': -1, '=': 0, '>': 1 } as const;
      for (const [a, o, b] of v.compare ?? [])
        expect(sign(scheme.compare(a, b)), `${a} ${o} ${b}`).toBe(op[o]);
      for (const [a, b, want] of v.vercmp ?? [])
        expect(sign(scheme.compare(a, b)), `${a} vs ${b}`).toBe(want);
      for (const [a, b] of v.equal ?? []) {
        expect(scheme.compare(a, b), `${a} == ${b}`).toBe(0);
        expect(scheme.compare(b, a), `${b} == ${a}`).toBe(0);
      }
      for (const [a, b] of v.less ?? []) {
        expect(sign(scheme.compare(a, b)), `${a} < ${b}`).toBe(-1);
        expect(sign(scheme.compare(b, a)), `${b} > ${a}`).toBe(1);
      }
    });

    it('tells valid from invalid versions', () => {
      for (const s of v.valid ?? []) expect(scheme.valid(s), s).toBe(true);
      for (const s of v.invalid ?? []) expect(scheme.valid(s), s).toBe(false);
    });

    it('evaluates its native range syntax', () => {
      for (const [version, range, want] of v.ranges ?? [])
        expect(scheme.inRange(version, range), `${version} in ${range}`).toBe(want);
    });
  },
);

describe('OSV range events', () => {
  const go = schemeFor('go')!;
  const pypi = schemeFor('pypi')!;
  const deb = schemeFor('deb/debian/12')!;
  const range = (events: object[]) => ({ type: 'ECOSYSTEM' as const, events: events as never });

  it('introduced / fixed', () => {
    const r = range([{ introduced: '1.2.0' }, { fixed: '1.2.5' }]);
    expect(go.inRange('1.1.9', r)).toBe(false);
    expect(go.inRange('1.2.0', r)).toBe(true);
    expect(go.inRange('1.2.4', r)).toBe(true);
    expect(go.inRange('1.2.5', r)).toBe(false);
  });

  it('introduced 0 means from the first version; several intervals in one range', () => {
    const r = range([{ introduced: '0' }, { fixed: '1.0.1' }, { introduced: '1.1.0' }, { fixed: '1.1.3' }]);
    expect(go.inRange('0.0.1', r)).toBe(true);
    expect(go.inRange('1.0.1', r)).toBe(false);
    expect(go.inRange('1.0.9', r)).toBe(false);
    expect(go.inRange('1.1.2', r)).toBe(true);
    expect(go.inRange('1.1.3', r)).toBe(false);
  });

  it('last_affected includes its own version and nothing after', () => {
    const r = range([{ introduced: '2.0' }, { last_affected: '2.4' }]);
    expect(pypi.inRange('2.4', r)).toBe(true);
    expect(pypi.inRange('2.4.0', r)).toBe(true);
    expect(pypi.inRange('2.4.post1', r)).toBe(false);
    expect(pypi.inRange('2.5', r)).toBe(false);
    expect(pypi.inRange('1.9', r)).toBe(false);
  });

  it('limit caps the range whatever the other events say', () => {
    const r = range([{ introduced: '0' }, { limit: '1.5.0' }]);
    expect(go.inRange('1.4.9', r)).toBe(true);
    expect(go.inRange('1.5.0', r)).toBe(false);
    expect(go.inRange('2.0.0', r)).toBe(false);
    expect(go.inRange('9.0.0', range([{ introduced: '0' }, { limit: '*' }]))).toBe(true);
  });

  it('orders events by the scheme, not by text (dpkg epochs, ~)', () => {
    const r = range([{ fixed: '1:1.0-1' }, { introduced: '0' }]);
    expect(deb.inRange('2.0-1', r)).toBe(true);
    expect(deb.inRange('1:1.0-1~deb12u1', r)).toBe(true);
    expect(deb.inRange('1:1.0-1', r)).toBe(false);
  });

  it('requirement lists: affected unless a patched/unaffected requirement matches', () => {
    const cargo = schemeFor('cargo')!;
    const r = { type: 'REQUIREMENTS' as const, unaffected: ['>= 1.2.3, < 1.3.0', '>= 1.3.4', '<= 0.1.2'] };
    expect(cargo.inRange('0.1.2', r)).toBe(false);
    expect(cargo.inRange('1.0.0', r)).toBe(true);
    expect(cargo.inRange('1.2.5', r)).toBe(false);
    expect(cargo.inRange('1.3.1', r)).toBe(true);
    expect(cargo.inRange('1.3.4', r)).toBe(false);
    const npm = schemeFor('npm')!;
    const n = { type: 'REQUIREMENTS' as const, affected: '<=1.5.1', unaffected: ['>=1.5.2'] };
    expect(npm.inRange('1.5.1', n)).toBe(true);
    expect(npm.inRange('1.5.2', n)).toBe(false);
  });

  it('never matches git ranges (commits are not versions)', () => {
    expect(go.inRange('1.0.0', { type: 'GIT', repo: 'x', events: [{ introduced: '0' }] })).toBe(false);
  });
});
