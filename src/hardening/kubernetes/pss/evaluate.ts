import type { PodSpecView } from '../objects/pod-spec.js';
import { BASELINE_CHECKS } from './baseline.js';
import { RESTRICTED_CHECKS } from './restricted.js';
import type { PssCheck, PssLevel, PssVersion, PssViolation, VersionedCheck } from './types.js';
import { compareVersion, LATEST_PSS_VERSION } from './version.js';

export const PSS_CHECKS: readonly PssCheck[] = [...BASELINE_CHECKS, ...RESTRICTED_CHECKS];

/** The implementation of `check` in force at `version`, or undefined when the check did not exist yet. */
export function checkAt(check: PssCheck, version: PssVersion): VersionedCheck | undefined {
  let found: VersionedCheck | undefined;
  for (const vc of check.versions) if (compareVersion(vc.since, version) <= 0) found = vc;
  return found;
}

/** Violations of one check by id (baseline or restricted) at a version; [] when allowed or not yet defined. */
export function runPssCheck(
  id: string,
  pod: PodSpecView,
  version: PssVersion = LATEST_PSS_VERSION,
): PssViolation[] {
  const check = PSS_CHECKS.find((c) => c.id === id);
  if (!check) throw new Error(`unknown PSS check ${id}`);
  return checkAt(check, version)?.check(pod) ?? [];
}

export interface PssVerdict {
  allowed: boolean;
  violations: PssViolation[];
}

/**
 * Decide a pod spec at a level and version exactly as the PodSecurity admission plugin does:
 * every check of the level and below, newest implementation not after `version`.
 * @example evaluatePss(podSpecOf(pod)!, 'restricted', [1, 37]).allowed
 */
export function evaluatePss(
  pod: PodSpecView,
  level: PssLevel,
  version: PssVersion = LATEST_PSS_VERSION,
): PssVerdict {
  const checks = PSS_CHECKS.filter((c) => level === 'restricted' || c.level === 'baseline');
  const violations: PssViolation[] = [];
  for (const check of checks) {
    const vc = checkAt(check, version);
    if (!vc) continue;
    violations.push(...vc.check(pod));
  }
  return { allowed: violations.length === 0, violations };
}
