import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../test/corpus.js';
import { catalogImage } from './catalog.js';
import { skipMatcher } from './skip.js';

describe('skipMatcher', () => {
  it('skips files by glob and everything under a matching directory', () => {
    const skip = skipMatcher({
      skipDirs: ['**/node_modules', 'app/test'],
      skipFiles: ['**/*.jar', '/etc/passwd'],
    })!;
    expect(skip('app/node_modules/lodash/package.json')).toBe(true);
    expect(skip('node_modules/x/package.json')).toBe(true);
    expect(skip('app/test/fixtures/package-lock.json')).toBe(true);
    expect(skip('app/testing/package-lock.json')).toBe(false); // a directory matches whole, not as a prefix
    expect(skip('opt/lib/a.jar')).toBe(true);
    expect(skip('etc/passwd')).toBe(true); // a leading / means the root
    expect(skip('app/package-lock.json')).toBe(false);
    expect(skipMatcher({})).toBeUndefined();
  });

  it('takes patterns that start with the scanned directory relative to it', () => {
    const skip = skipMatcher({ skipDirs: ['./repo/submod2'] }, 'repo')!;
    expect(skip('submod2/go.mod')).toBe(true);
    expect(skip('submod/go.mod')).toBe(false);
  });
});

describe('catalogImage with skips', () => {
  const gomod = corpusPath('images/peer-cases/trivy/integration/testdata/fixtures/repo/gomod');
  const paths = async (options: Parameters<typeof catalogImage>[1]) => [
    ...new Set((await catalogImage(`dir:${gomod}`, options)).packages.map((p) => p.path)),
  ];

  it('leaves out what --skip-dirs and --skip-files name, and nothing else', async () => {
    expect(await paths({})).toEqual(expect.arrayContaining(['/go.mod', '/submod/go.mod', '/submod2/go.mod']));
    const withoutDir = await paths({ skipDirs: ['submod2'] });
    expect(withoutDir).toContain('/submod/go.mod');
    expect(withoutDir.filter((p) => p?.startsWith('/submod2/'))).toEqual([]);
    const withoutFile = await paths({ skipFiles: ['submod2/go.mod'] });
    expect(withoutFile).not.toContain('/submod2/go.mod');
    expect(withoutFile).toContain('/go.mod');
    expect(await paths({ skipFiles: ['**/go.mod'] })).not.toEqual(expect.arrayContaining(['/go.mod']));
  });
});
