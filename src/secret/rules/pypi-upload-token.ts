import type { SecretRule } from '../types.js';

/** A PyPI API token: a macaroon whose base-64 starts with the location `pypi.org` (`pypi-AgEIcHlwaS5vcmc…`). */
export const pypiUploadToken = {
  id: 'pypi-upload-token',
  title: 'PyPI upload token',
  severity: 'HIGH',
  keywords: ['pypi-AgEIcHlwaS5vcmc'],
  caseSensitive: true,
  reach: 1100,
  pattern: '(?P<secret>pypi-AgEIcHlwaS5vcmc[0-9A-Za-z_-]{50,1000})',
} as const satisfies SecretRule;
