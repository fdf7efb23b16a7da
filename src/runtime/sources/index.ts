import { auditd } from './auditd.js';
import { dockerEvents } from './docker-events.js';
import { k8sAudit } from './k8s-audit.js';
import type { EventSource } from './types.js';

/** Every event source, alphabetically. Adding one = one file + one line. */
export const SOURCES: readonly EventSource[] = [auditd, dockerEvents, k8sAudit];

export function sourceByName(name: string): EventSource | undefined {
  return SOURCES.find((s) => s.name === name);
}
