import type { Role } from '../principal.js';
import type { PageQuery } from '../types.js';

/** The access views the API serves (docs/api.md). Add fields, never rename. Never carry a secret. */

export interface UserView {
  id: number;
  name: string;
  role: Role;
  createdAt: string;
  updatedAt: string;
}

export interface UserInput {
  name: string;
  role: Role;
  password: string;
}

export interface UserPatch {
  role?: Role;
  password?: string;
}

export interface TokenView {
  id: number;
  name: string;
  /** The visible part: `bh_<prefix>_…`. */
  prefix: string;
  role: Role;
  scope: string | null;
  createdBy: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface TokenInput {
  name: string;
  role: Role;
  /** A host, cluster or registry resource key (agent tokens). */
  scope?: string;
  /** YYYY-MM-DD (end of that day, UTC) or an ISO date-time. */
  expires?: string;
}

/** The token string, shown once, and what is kept of it. */
export interface NewToken {
  token: string;
  id: number;
  prefix: string;
  view: TokenView;
}

export interface TokenQuery extends PageQuery {
  /** Include revoked tokens (default false). */
  revoked?: boolean;
}

/** What a login gives the dashboard: the cookie value (id) and the CSRF token it must echo on writes. */
export interface LoginResult {
  sessionId: string;
  csrfToken: string;
  expiresAt: string;
  user: UserView;
}

export interface SessionView {
  user: UserView | null;
  csrfToken?: string;
  expiresAt?: string;
}

export interface AuditView {
  id: number;
  at: string;
  actor: { kind: 'user' | 'token' | 'system'; id: string; name: string };
  action: string;
  target: string;
  detail: Record<string, unknown>;
}

export interface AuditQuery extends PageQuery {
  action?: string;
  actor?: string;
}

/** How a request proves who it is: an `Authorization: Bearer` token or the session cookie. */
export interface Credentials {
  bearer?: string;
  sessionId?: string;
}
