import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../../test/corpus.js';
import { catalogFiles, keys } from '../test-support/view.js';
import { conan, conanRef } from './conan.js';

const TRIVY = ['images', 'peer-cases', 'trivy', 'integration/testdata/fixtures/repo'];

describe('conan', () => {
  it("Trivy's conan.lock (v1, the poco graph): every node with a reference as pkg:conan", () => {
    const pkgs = catalogFiles({ 'src/conan.lock': readFileSync(corpusPath(...TRIVY, 'conan/conan.lock')) }, [
      conan,
    ]);
    const doc = JSON.parse(readFileSync(corpusPath(...TRIVY, 'conan/conan.lock'), 'utf8')) as {
      graph_lock: { nodes: Record<string, { ref?: string }> };
    };
    const refs = Object.values(doc.graph_lock.nodes).filter((n) => n.ref).length;
    expect(pkgs).toHaveLength(refs);
    expect(keys(pkgs)).toContain('pcre@8.43');
    expect(keys(pkgs)).toContain('poco@1.9.4');
    expect(pkgs.find((p) => p.name === 'zlib')!.purl).toBe('pkg:conan/zlib@1.2.12');
  });

  it('v2 lists host requirements with revisions; build and python requirements are tools, left out', () => {
    const lock = JSON.stringify({
      version: '0.5',
      requires: ['zlib/1.3.1#f52e03ae3d251dec704634230cd806a2%1708593606.497', 'fmt/10.2.1@acme/stable'],
      build_requires: ['cmake/3.29.0#abc%1712000000.0'],
      python_requires: [],
    });
    expect(keys(catalogFiles({ 'conan.lock': lock }, [conan]))).toEqual(['fmt@10.2.1', 'zlib@1.3.1']);
  });

  it('references without a version are not packages', () => {
    expect(conanRef('pkgc')).toBeUndefined();
    expect(conanRef('pkga/0.1@user/testing')).toEqual({ name: 'pkga', version: '0.1' });
  });
});
