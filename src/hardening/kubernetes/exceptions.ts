import { z } from 'zod';
import { type ExceptionBase, exceptionState, parseExpiry } from '../../core/exceptions.js';
import { glob } from './controls/helpers.js';
import type { KubeObject } from './objects/types.js';

/**
 * A suppression of Kubernetes control results: `id` is a control id (or `*`), scoped by namespace glob,
 * kind, name glob and labels. Same who/why/until model as image scanning.
 * @example { id: 'K8S-POD-04', reason: 'node exporter needs the host network', namespaces: ['monitoring'], kinds: ['DaemonSet'] }
 */
export interface KubeException extends ExceptionBase {
  namespaces?: string[];
  kinds?: string[];
  names?: string[];
  labels?: Record<string, string>;
}

export const kubeExceptionSchema = z
  .object({
    id: z.string().min(1),
    reason: z.string().min(1),
    by: z.string().optional(),
    expires: z
      .string()
      .optional()
      .refine((v) => v === undefined || !Number.isNaN(safeExpiry(v)), 'invalid expiry date (use YYYY-MM-DD)'),
    namespaces: z.array(z.string()).optional(),
    kinds: z.array(z.string()).optional(),
    names: z.array(z.string()).optional(),
    labels: z.record(z.string(), z.string()).optional(),
  })
  .strict();

function safeExpiry(v: string): number {
  try {
    return parseExpiry(v);
  } catch {
    return Number.NaN;
  }
}

/** Does the exception's scope cover this control on this object? (Its state is checked separately.) */
export function exceptionCovers(e: KubeException, control: string, object: KubeObject): boolean {
  if (e.id !== '*' && e.id !== control) return false;
  const namespace = object.metadata.namespace ?? '';
  if (e.namespaces && !e.namespaces.some((p) => glob(p, namespace))) return false;
  if (e.kinds && !e.kinds.includes(object.kind)) return false;
  const name = object.metadata.name ?? '';
  if (e.names && !e.names.some((p) => glob(p, name))) return false;
  if (e.labels) {
    const labels = object.metadata.labels ?? {};
    if (!Object.entries(e.labels).every(([k, v]) => labels[k] === v)) return false;
  }
  return true;
}

/** The first active exception covering the result, and any expired ones that would have. */
export function matchExceptions(
  exceptions: readonly KubeException[],
  control: string,
  object: KubeObject,
  now: Date,
): { active?: KubeException; expired: KubeException[] } {
  const expired: KubeException[] = [];
  for (const e of exceptions) {
    if (!exceptionCovers(e, control, object)) continue;
    if (exceptionState(e, now) === 'active') return { active: e, expired };
    expired.push(e);
  }
  return { expired };
}
