/**
 * Who is asking: a person logged in to the dashboard, an API token, or the center itself (schedules, expiry).
 * Roles are ordered for what they may read and change; `agent` is outside the order: it may push reports about
 * its scope, post registry events and read exceptions and rule overrides, nothing else.
 */
export const ROLES = ['admin', 'operator', 'viewer', 'agent'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  kind: 'user' | 'token' | 'system';
  id: string;
  name: string;
  role: Role;
  /** For a scoped agent token: the one resource (host, cluster or registry key) it may report about. */
  scope?: string;
}

/**
 * What a route or service needs. `push` is the agent's ingest right; admins and operators have it too.
 * `read-exceptions` is what an agent reads besides pushing, to apply the center's exceptions to its gates: the
 * exception list and an image's verdict (GET /images/{digest}/verdict).
 */
export type Permission = 'read' | 'read-exceptions' | 'triage' | 'push' | 'admin';
export const PERMISSIONS = ['read', 'read-exceptions', 'triage', 'push', 'admin'] as const;

const GRANTS: Record<Role, readonly Permission[]> = {
  admin: ['read', 'read-exceptions', 'triage', 'push', 'admin'],
  operator: ['read', 'read-exceptions', 'triage', 'push'],
  viewer: ['read', 'read-exceptions'],
  agent: ['push', 'read-exceptions'],
};

export function can(principal: Principal, permission: Permission): boolean {
  return GRANTS[principal.role].includes(permission);
}

/** The center acting on its own (expiry of exceptions, schedules). */
export const SYSTEM: Principal = { kind: 'system', id: 'system', name: 'bulkhead', role: 'admin' };
