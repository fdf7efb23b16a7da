import { describe, expect, it } from 'vitest';
import { catalogView } from '../catalog.js';
import { viewOf } from '../test-support/view.js';

const catalog = (files: Record<string, string>) => catalogView(viewOf(files), ['sha256:layer0']);

/**
 * A lock file's root project is the artifact's own component (what a VEX statement names as its product), never
 * one of its packages, the same way in every ecosystem that records it (go.mod's `module` already was).
 */
describe('the root project of a lock file', () => {
  it('npm package-lock.json: the "" package (v2/v3) and the top-level name (v1)', () => {
    const v3 = catalog({
      'app/package-lock.json': JSON.stringify({
        name: 'myapp',
        version: '1.0.0',
        lockfileVersion: 3,
        packages: { '': { name: 'myapp', version: '1.0.0' }, 'node_modules/ms': { version: '2.1.3' } },
      }),
    });
    expect(v3.components).toEqual(['pkg:npm/myapp@1.0.0']);
    expect(v3.packages.map((p) => p.purl)).toEqual(['pkg:npm/ms@2.1.3']);
    const v1 = catalog({
      'app/package-lock.json': JSON.stringify({
        name: '@acme/old',
        version: '0.3.0',
        lockfileVersion: 1,
        dependencies: { ms: { version: '2.0.0' } },
      }),
    });
    expect(v1.components).toEqual(['pkg:npm/%40acme/old@0.3.0']);
    expect(v1.packages.map((p) => p.purl)).toEqual(['pkg:npm/ms@2.0.0']);
  });

  it('yarn.lock: the package.json beside it', () => {
    const r = catalog({
      'app/package.json': JSON.stringify({ name: 'yapp', version: '2.0.0', dependencies: { ms: '^2.1.3' } }),
      'app/yarn.lock': '# yarn lockfile v1\n\n\nms@^2.1.3:\n  version "2.1.3"\n',
    });
    expect(r.components).toEqual(['pkg:npm/yapp@2.0.0']);
    expect(r.packages.map((p) => p.purl)).toEqual(['pkg:npm/ms@2.1.3']);
  });

  it('uv.lock: editable and virtual workspace members', () => {
    const r = catalog({
      'proj/uv.lock': [
        'version = 1',
        '[[package]]',
        'name = "myproj"',
        'version = "0.1.0"',
        'source = { editable = "." }',
        '[[package]]',
        'name = "tools"',
        'source = { virtual = "tools" }',
        '[[package]]',
        'name = "idna"',
        'version = "3.7"',
        'source = { registry = "https://pypi.org/simple" }',
        '',
      ].join('\n'),
    });
    expect(r.components).toEqual(['pkg:pypi/myproj@0.1.0', 'pkg:pypi/tools']);
    expect(r.packages.map((p) => p.purl)).toEqual(['pkg:pypi/idna@3.7']);
  });
});
