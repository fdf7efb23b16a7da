import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../../test/corpus.js';
import { catalogFiles, keys } from '../test-support/view.js';
import { hackageId, haskell } from './haskell.js';

const GRYPE = ['images', 'grype', 'test/integration/testdata/image-debian-match-coverage/haskell'];
const read = (name: string) => readFileSync(corpusPath(...GRYPE, name));

describe('haskell', () => {
  it("grype's cabal.project.freeze: versioned constraints, not flag entries", () => {
    const pkgs = catalogFiles({ 'app/cabal.project.freeze': read('cabal.project.freeze') }, [haskell]);
    expect(keys(pkgs)).toEqual([
      'Cabal@3.2.1.0',
      'Diff@0.4.1',
      'HTTP@4000.3.16',
      'HUnit@1.6.2.0',
      'OneTuple@0.3.1',
      'Only@0.1',
      'PyF@0.10.2.0',
      'QuickCheck@2.14.2',
      'RSA@2.4.1',
      'SHA@1.6.4.4',
      'Spock@0.14.0.0',
    ]);
    expect(pkgs.find((p) => p.name === 'HTTP')!.purl).toBe('pkg:hackage/HTTP@4000.3.16');
  });

  it("grype's stack.yaml.lock packages and stack.yaml extra-deps", () => {
    const lock = catalogFiles({ 'app/stack.yaml.lock': read('stack.yaml.lock') }, [haskell]);
    expect(keys(lock)).toEqual([
      'HTTP@4000.3.16',
      'configurator-pg@0.2.6',
      'hasql-dynamic-statements@0.3.1.1',
      'hasql-implicits@0.1.0.4',
      'hasql-pool@0.5.2.2',
      'lens-aeson@1.1.3',
      'optparse-applicative@0.16.1.0',
      'protolude@0.3.2',
      'ptr@0.16.8.2',
    ]);
    const manifest = catalogFiles({ 'app/stack.yaml': read('stack.yaml') }, [haskell]);
    expect(keys(manifest)).toEqual([
      'ShellCheck@0.8.0',
      'colourista@0.1.0.1',
      'hspec-core@2.9.4',
      'hspec-discover@2.9.4',
      'hspec@2.9.4',
      'language-docker@11.0.0',
      'spdx@1.0.0.2',
      'stm@2.5.0.2',
    ]);
  });

  it('package ids: the version is the last dash-separated numeric part', () => {
    expect(hackageId('hasql-pool-0.5.2.2@sha256:b56d,2438')).toEqual({
      name: 'hasql-pool',
      version: '0.5.2.2',
    });
    expect(hackageId('github: acme/lib')).toBeUndefined();
  });
});
