import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../../test/corpus.js';
import { catalogFiles } from '../test-support/view.js';
import { julia } from './julia.js';

describe('julia', () => {
  it('Manifest.toml format 2: one package per (name, uuid); standard libraries take julia_version', () => {
    const manifest = readFileSync(
      corpusPath('images', 'peer-cases', 'trivy', 'integration/testdata/fixtures/repo/julia/Manifest.toml'),
    );
    const pkgs = catalogFiles({ 'proj/Manifest.toml': manifest }, [julia]);
    expect(pkgs.map((p) => p.purl).sort()).toEqual([
      'pkg:julia/A@1.9.0?uuid=ead4f63c-334e-11e9-00e6-e7f0a5f21b60',
      'pkg:julia/B@1.9.0?uuid=edca9bc6-334e-11e9-3554-9595dbb4349c',
      'pkg:julia/B@1.9.0?uuid=f41f7b98-334e-11e9-1257-49272045fb24',
    ]);
  });

  it('format 1 (top-level entries, no julia_version): versioned entries only', () => {
    const v1 = [
      '[[JSON]]',
      'deps = ["Dates"]',
      'git-tree-sha1 = "31e996f0"',
      'uuid = "682c06a0-de6a-54ab-a142-c8b1cf79cde6"',
      'version = "0.21.4"',
      '',
      '[[Dates]]',
      'uuid = "ade2ca70-3891-5945-98fb-dc099432e06a"',
    ].join('\n');
    expect(catalogFiles({ 'Manifest.toml': v1 }, [julia]).map((p) => p.purl)).toEqual([
      'pkg:julia/JSON@0.21.4?uuid=682c06a0-de6a-54ab-a142-c8b1cf79cde6',
    ]);
    expect(catalogFiles({ 'Manifest.toml': '[[deps.A]\n' }, [julia])).toEqual([]);
  });
});
