import type { Severity } from '../../../core/severity.js';
import type { Inventory } from '../inventory.js';
import type { LoadedObject } from '../objects/types.js';
import type { Parameters } from '../parameters/schema.js';
import type { PssVersion } from '../pss/types.js';

export const STANDARDS = ['pss-baseline', 'pss-restricted', 'cis', 'nsa', 'best-practices'] as const;
export type Standard = (typeof STANDARDS)[number];
/** `security`: every control of a security standard (PSS, CIS, NSA), the default; `all` adds best practices. */
export type StandardSelection = Standard | 'all' | 'security';

/** Standards about reliability and hygiene rather than security: labelled, and run only when asked for. */
export const BEST_PRACTICE_STANDARDS: readonly Standard[] = ['best-practices'];

/**
 * M: one object decides; M*: other objects of the bundle (or cluster inventory) are needed;
 * C: live cluster state (evaluated on a bundle too when it holds that state).
 */
export type ControlScope = 'M' | 'M*' | 'C';

/**
 * Why a Kubernetes control fails on one object: one offending field. A failing check returns one per field; the
 * scan turns each into a `ControlResult` (core/results.ts) with status `fail`.
 * @example { message: 'privileged: true', field: 'spec.containers[0].securityContext.privileged' }
 */
export interface ControlFailure {
  message: string;
  field?: string;
}

export interface EvalContext {
  params: Parameters;
  pssVersion: PssVersion;
  standard: StandardSelection;
  inventory: Inventory;
}

/**
 * A Kubernetes control: one catalogue row, evaluated per object. `check` returns null when the control does not
 * apply to the object, [] when it passes, and one `ControlFailure` per offending field when it fails. Pure and
 * synchronous: no I/O. Not the Docker benchmark's `Control` (hardening/docker/types.ts), which judges the whole
 * host's evidence at once and returns an `Outcome`.
 */
export interface Control {
  /** @example 'K8S-POD-01' */
  id: string;
  title: string;
  severity: Severity;
  standards: readonly Standard[];
  scope: ControlScope;
  /** Raised when the logic changes; written into results. */
  version: number;
  remediation: string;
  check(item: LoadedObject, ctx: EvalContext): ControlFailure[] | null;
}
