import { describe, expect, it } from 'vitest';
import { isUnresolvedVersion } from './version-resolved.js';

describe('isUnresolvedVersion', () => {
  it('marks wildcards and ranges of the common manifest syntaxes', () => {
    for (const v of [
      '2.8.*',
      '*',
      '^1.2.0',
      '~1.2',
      '~> 2.0',
      '>=3.2',
      '<4',
      '1.0 - 2.0',
      '1.2 || 1.3',
      '!=1.0',
      '[1.0,2.0)',
      '(,1.0]',
      '1.x',
      '2.X.1',
      '',
    ])
      expect(isUnresolvedVersion(v), v).toBe(true);
  });
  it('leaves exact versions of every scheme alone, Debian and RPM tildes included', () => {
    for (const v of [
      '2.8.1',
      '1:2.36.1-8+deb12u1',
      '1.0~rc1-1',
      '3.0.2-0ubuntu1.10',
      '1.2.3-r0',
      'v0.0.0-20230101000000-abcdef012345',
      '2.17.1.Final',
      '1.0.0-alpha+001',
      '20230311',
      '0.9.8zh',
    ])
      expect(isUnresolvedVersion(v), v).toBe(false);
  });
});
