import type { AffectedRange } from '../model.js';

/**
 * How one ecosystem orders versions and reads version ranges. A member is one object in one file, listed in
 * versions/index.ts.
 */
export interface VersionScheme {
  /** @example 'dpkg' */
  name: string;
  description: string;
  /**
   * Namespaces it serves: exact names or prefixes ending in '/'.
   * @example ['deb/'] or ['npm']
   */
  namespaces: readonly string[];
  /** Whether `v` is a version this scheme can order. */
  valid(v: string): boolean;
  /** Negative, zero or positive as `a` sorts before, with or after `b`. @example compare('1.0~rc1', '1.0') < 0 */
  compare(a: string, b: string): number;
  /**
   * Whether `v` lies in `range`: the scheme's own range syntax (e.g. `>= 1.2, < 2` or Maven `[1.0,2.0)`), or
   * an OSV-style range with introduced / fixed / last_affected / limit events.
   * @example inRange('1.5', { type: 'ECOSYSTEM', events: [{ introduced: '1.0' }, { fixed: '2.0' }] }) // true
   */
  inRange(v: string, range: string | AffectedRange): boolean;
}
