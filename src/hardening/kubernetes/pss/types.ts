import type { PodSpecView } from '../objects/pod-spec.js';

export type PssLevel = 'baseline' | 'restricted';

/** A policy version as `[major, minor]`. */
export type PssVersion = readonly [number, number];

export interface PssViolation {
  /** Upstream check id. @example 'capabilities_restricted' */
  check: string;
  field: string;
  message: string;
}

/** One implementation of a check, valid from `since` until the next entry. */
export interface VersionedCheck {
  since: PssVersion;
  check(pod: PodSpecView): PssViolation[];
}

/** A Pod Security Standards check as the upstream admission plugin defines it. */
export interface PssCheck {
  id: string;
  level: PssLevel;
  /** Checks this one replaces at its level (restricted capabilities replace the baseline ones). */
  overrides?: string[];
  versions: readonly VersionedCheck[];
}
