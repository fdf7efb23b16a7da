import type { LoadedObject } from '../../objects/types.js';
import type { Parameters } from '../../parameters/schema.js';
import type { ControlFailure, EvalContext } from '../types.js';

/**
 * A generic rule a policy switches on with parameters (denied labels, an SELinux allow-list, runtime classes…),
 * judged under one catalogue row: its failures are that row's results. Unconfigured, it does nothing and the row
 * keeps its own behaviour.
 */
export interface ParameterisedCheck {
  /** @example 'denied-labels' */
  name: string;
  /** The catalogue row it writes to. @example 'K8S-NS-03' */
  control: string;
  /** Whether the policy's parameters switch it on. */
  configured(params: Parameters): boolean;
  /**
   * `replace`: when configured, it is the row's whole rule (an allow-list replaces the standard's rule);
   * `add`: its failures join the row's own.
   */
  mode: 'replace' | 'add';
  /** null when the object is not one it judges, [] when it passes. */
  check(item: LoadedObject, ctx: EvalContext): ControlFailure[] | null;
}
