import { z } from 'zod';
import { SEVERITIES, type Severity } from '../../../core/severity.js';
import type { KubeObject } from '../objects/types.js';

/** Polaris' levels beside Bulkhead's own severities (any case). */
const LEVELS: Readonly<Record<string, Severity>> = { danger: 'HIGH', warning: 'MEDIUM' };

export const severityWord = z
  .string()
  .refine((w) => Object.hasOwn(LEVELS, w) || (SEVERITIES as readonly string[]).includes(w.toUpperCase()), {
    message: `must be one of danger, warning, ${SEVERITIES.join(', ')}`,
  })
  .transform((w): Severity => LEVELS[w] ?? (w.toUpperCase() as Severity));

/**
 * Whether an object is of a kind written `Kind` (any API group), `group/Kind`, or `/Kind` (the core group).
 * @example kindMatches('apps/Deployment', {apiVersion: 'apps/v1', kind: 'Deployment', metadata: {}}) // true
 */
export function kindMatches(spec: string, object: KubeObject): boolean {
  const slash = spec.lastIndexOf('/');
  if (slash < 0) return spec === '*' || spec === object.kind;
  const kind = spec.slice(slash + 1);
  if (kind !== '*' && kind !== object.kind) return false;
  const group = object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : '';
  return spec.slice(0, slash) === group;
}

/** Why a custom check cannot be loaded; the caller names the file and the check. */
export class CustomCheckError extends Error {}
