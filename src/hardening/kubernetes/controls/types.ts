import type { Severity } from '../../../core/severity.js';
import type { Inventory } from '../inventory.js';
import type { LoadedObject } from '../objects/types.js';
import type { Parameters } from '../parameters/schema.js';
import type { PssVersion } from '../pss/types.js';

export const STANDARDS = ['pss-baseline', 'pss-restricted', 'cis', 'nsa', 'best-practices'] as const;
export type Standard = (typeof STANDARDS)[number];
export type StandardSelection = Standard | 'all';

/**
 * M: one object decides; M*: other objects of the bundle (or cluster inventory) are needed;
 * C: live cluster state (evaluated on a bundle too when it holds that state).
 */
export type ControlScope = 'M' | 'M*' | 'C';

/** One offending field of an object. */
export interface Finding {
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
 * A catalogue row. `check` returns null when the control does not apply to the object, [] when it passes,
 * and the findings when it fails. Pure and synchronous: no I/O.
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
  check(item: LoadedObject, ctx: EvalContext): Finding[] | null;
}
