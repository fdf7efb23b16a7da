import { UserInputError } from '../../../core/errors.js';
import type { PssVersion } from './types.js';

/** Newest policy version Bulkhead knows (the pod-security-admission fixtures it is tested on). */
export const LATEST_PSS_VERSION: PssVersion = [1, 37];

/**
 * Parse `--pss-version`: `latest`, `v1.30` or `1.30`. Versions newer than the latest known are evaluated as latest.
 * @example parsePssVersion('v1.25') // [1, 25]
 */
export function parsePssVersion(text: string | undefined): PssVersion {
  if (!text || text === 'latest') return LATEST_PSS_VERSION;
  const m = /^v?(\d+)\.(\d+)$/.exec(text.trim());
  if (!m) throw new UserInputError('--pss-version', `"${text}" is not a version (use latest or v1.N)`);
  const v: PssVersion = [Number(m[1]), Number(m[2])];
  return compareVersion(v, LATEST_PSS_VERSION) > 0 ? LATEST_PSS_VERSION : v;
}

export function compareVersion(a: PssVersion, b: PssVersion): number {
  return a[0] - b[0] || a[1] - b[1];
}

export function formatVersion(v: PssVersion): string {
  return `v${v[0]}.${v[1]}`;
}
