import { timingSafeEqual } from 'node:crypto';
import {
  type ApiTokenRow,
  countApiTokens,
  findApiToken,
  findApiTokenByHash,
  insertApiToken,
  listApiTokens,
  markApiTokenRevoked,
  touchApiToken,
} from '../../store/api-tokens.js';
import { appendAudit, countAudit, listAudit } from '../../store/audit-log.js';
import {
  deleteExpiredSessions,
  deleteSession,
  deleteUserSessions,
  findSession,
  insertSession,
} from '../../store/sessions.js';
import {
  countUsers,
  deleteUser,
  findUserById,
  findUserByName,
  insertUser,
  listUsers,
  type UserRow,
  updateUser,
} from '../../store/users.js';
import { encodeCursor, idCursor, pageLimit } from '../cursor.js';
import type { CenterDeps } from '../deps.js';
import { CenterError } from '../errors.js';
import { type Principal, ROLES, type Role } from '../principal.js';
import type { Page } from '../types.js';
import { hashPassword, randomPassword, UNUSABLE_HASH, verifyPassword } from './password.js';
import { csrfTokenFor, looksLikeToken, newSessionId, newToken, sha256 } from './secrets.js';
import type {
  AuditQuery,
  AuditView,
  Credentials,
  LoginResult,
  NewToken,
  SessionView,
  TokenInput,
  TokenQuery,
  TokenView,
  UserInput,
  UserPatch,
  UserView,
} from './types.js';

export interface AccessOptions {
  /** How long a login lasts. Default 12 hours. */
  sessionTtlMs?: number;
}

export const DEFAULT_SESSION_TTL_MS = 12 * 60 * 60 * 1000;
/** last_used_at is written at most this often per token, so reads do not turn into a write each. */
const TOUCH_INTERVAL_MS = 60_000;
const SCOPE = /^(host|cluster|registry):\S+$/;
const USER_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

/** The CLI acting on the store directly (user add, token create): audit rows name it. */
export const CLI_PRINCIPAL: Principal = { kind: 'system', id: 'cli', name: 'bulkhead cli', role: 'admin' };

export type AccessService = ReturnType<typeof createAccessService>;

/**
 * Users, sessions, API tokens and the audit log. Each change opens its transaction and writes its audit row in
 * it. Secrets (passwords, session ids, tokens) are hashed before they reach the store and never logged.
 * Tokens are looked up in the store on every request, so one created or revoked by the CLI counts at once.
 */
export function createAccessService(deps: CenterDeps, options: AccessOptions = {}) {
  const { db } = deps.store;
  const ttl = options.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS;
  const now = () => deps.clock().toISOString();
  const actor = (p: Principal) => ({ kind: p.kind, id: p.id, name: p.name });

  async function authenticate(credentials: Credentials): Promise<Principal | null> {
    if (credentials.bearer !== undefined) return tokenPrincipal(credentials.bearer);
    if (credentials.sessionId !== undefined) {
      const session = await sessionUser(credentials.sessionId);
      return session ? userPrincipal(session.user) : null;
    }
    return null;
  }

  async function tokenPrincipal(token: string): Promise<Principal | null> {
    if (!looksLikeToken(token)) return null;
    const row = await findApiTokenByHash(db, sha256(token));
    const at = deps.clock();
    if (!row || row.revoked_at !== null) return null;
    if (row.expires_at !== null && row.expires_at <= at.toISOString()) return null;
    if (row.last_used_at === null || at.getTime() - Date.parse(row.last_used_at) >= TOUCH_INTERVAL_MS) {
      await touchApiToken(db, row.id, at.toISOString());
    }
    return {
      kind: 'token',
      id: String(row.id),
      name: row.name,
      role: row.role as Role,
      ...(row.scope ? { scope: row.scope } : {}),
    };
  }

  async function sessionUser(sessionId: string): Promise<{ user: UserRow; expiresAt: string } | null> {
    const session = await findSession(db, sha256(sessionId));
    if (!session || session.expires_at <= now()) return null;
    const user = await findUserById(db, session.user_id);
    return user ? { user, expiresAt: session.expires_at } : null;
  }

  async function login(name: string, password: string): Promise<LoginResult> {
    const user = await findUserByName(db, name);
    // the same work whether the user exists or not, so timing does not tell names apart
    const ok = await verifyPassword(password, user?.password_hash ?? UNUSABLE_HASH);
    if (!user || !ok) throw new CenterError('BULKHEAD_ERR_LOGIN_FAILED', 'wrong user name or password');
    const sessionId = newSessionId();
    const at = deps.clock();
    const expiresAt = new Date(at.getTime() + ttl).toISOString();
    await db.transaction().execute(async (tx) => {
      await deleteExpiredSessions(tx, at.toISOString());
      await insertSession(tx, {
        id_hash: sha256(sessionId),
        user_id: user.id,
        created_at: at.toISOString(),
        expires_at: expiresAt,
      });
      await appendAudit(tx, {
        at: at.toISOString(),
        actor: actor(userPrincipal(user)),
        action: 'session.login',
        target: `user:${user.name}`,
        detail: { expiresAt },
      });
    });
    return { sessionId, csrfToken: csrfTokenFor(sessionId), expiresAt, user: userView(user) };
  }

  async function logout(sessionId: string): Promise<void> {
    const session = await sessionUser(sessionId);
    await db.transaction().execute(async (tx) => {
      const deleted = await deleteSession(tx, sha256(sessionId));
      if (deleted && session) {
        await appendAudit(tx, {
          at: now(),
          actor: actor(userPrincipal(session.user)),
          action: 'session.logout',
          target: `user:${session.user.name}`,
          detail: {},
        });
      }
    });
  }

  async function currentSession(sessionId: string | undefined): Promise<SessionView> {
    const session = sessionId === undefined ? null : await sessionUser(sessionId);
    if (!session || sessionId === undefined) return { user: null };
    return { user: userView(session.user), csrfToken: csrfTokenFor(sessionId), expiresAt: session.expiresAt };
  }

  const tokens = {
    /** The token string is in the answer only; the store keeps its SHA-256 and prefix. */
    async create(principal: Principal, input: TokenInput): Promise<NewToken> {
      checkRole(input.role);
      if (input.name.trim() === '') throw validation('name', 'must not be empty');
      if (input.scope !== undefined && !SCOPE.test(input.scope)) {
        throw validation('scope', 'must be a host:, cluster: or registry: resource key');
      }
      const at = now();
      const expiresAt = input.expires === undefined ? null : parseExpiry(input.expires, at);
      const { token, prefix } = newToken();
      const row = await db.transaction().execute(async (tx) => {
        const created = await insertApiToken(tx, {
          name: input.name,
          prefix,
          token_hash: sha256(token),
          role: input.role,
          scope: input.scope ?? null,
          created_by: `${principal.kind}:${principal.name}`,
          created_at: at,
          expires_at: expiresAt,
          last_used_at: null,
          revoked_at: null,
        });
        await appendAudit(tx, {
          at,
          actor: actor(principal),
          action: 'token.create',
          target: `token:${created.id}`,
          detail: { name: input.name, prefix, role: input.role, scope: input.scope ?? null, expiresAt },
        });
        return created;
      });
      return { token, id: row.id, prefix, view: tokenView(row) };
    },

    async list(query: TokenQuery): Promise<Page<TokenView>> {
      const limit = pageLimit(query.limit);
      const after = idCursor(query.cursor);
      const includeRevoked = query.revoked === true;
      const rows = await listApiTokens(db, { limit: limit + 1, includeRevoked, ...(after ? { after } : {}) });
      return page(rows, limit, tokenView, await countApiTokens(db, { includeRevoked }));
    },

    /** By id or visible prefix; revoking twice is a no-op (still audited once). */
    async revoke(principal: Principal, idOrPrefix: string): Promise<TokenView> {
      return db.transaction().execute(async (tx) => {
        const row = await findApiToken(tx, idOrPrefix);
        if (!row) throw new CenterError('BULKHEAD_ERR_TOKEN_NOT_FOUND', `no token ${idOrPrefix}`);
        if (row.revoked_at !== null) return tokenView(row);
        const at = now();
        await markApiTokenRevoked(tx, row.id, at);
        await appendAudit(tx, {
          at,
          actor: actor(principal),
          action: 'token.revoke',
          target: `token:${row.id}`,
          detail: { name: row.name, prefix: row.prefix },
        });
        return tokenView({ ...row, revoked_at: at });
      });
    },
  };

  const users = {
    async add(principal: Principal, input: UserInput): Promise<UserView> {
      checkRole(input.role);
      if (!USER_NAME.test(input.name)) {
        throw validation('name', 'letters, digits and . _ @ - only, at most 64 characters');
      }
      checkPassword(input.password);
      const hash = await hashPassword(input.password);
      return db.transaction().execute(async (tx) => {
        if (await findUserByName(tx, input.name)) {
          throw new CenterError('BULKHEAD_ERR_USER_EXISTS', `user ${input.name} exists`);
        }
        const at = now();
        const row = await insertUser(tx, {
          name: input.name,
          role: input.role,
          password_hash: hash,
          created_at: at,
          updated_at: at,
        });
        await appendAudit(tx, {
          at,
          actor: actor(principal),
          action: 'user.create',
          target: `user:${row.name}`,
          detail: { role: row.role },
        });
        return userView(row);
      });
    },

    async list(query: { limit?: number; cursor?: string }): Promise<Page<UserView>> {
      const limit = pageLimit(query.limit);
      const after = idCursor(query.cursor);
      const rows = await listUsers(db, { limit: limit + 1, ...(after ? { after } : {}) });
      return page(rows, limit, userView, await countUsers(db));
    },

    async get(id: number): Promise<UserView> {
      const row = await findUserById(db, id);
      if (!row) throw new CenterError('BULKHEAD_ERR_USER_NOT_FOUND', `no user ${id}`);
      return userView(row);
    },

    /** A new password ends the user's sessions. */
    async update(principal: Principal, id: number, patch: UserPatch): Promise<UserView> {
      if (patch.role !== undefined) checkRole(patch.role);
      if (patch.password !== undefined) checkPassword(patch.password);
      const hash = patch.password === undefined ? undefined : await hashPassword(patch.password);
      return db.transaction().execute(async (tx) => {
        const row = await findUserById(tx, id);
        if (!row) throw new CenterError('BULKHEAD_ERR_USER_NOT_FOUND', `no user ${id}`);
        if (patch.role !== undefined && patch.role !== 'admin' && row.role === 'admin') {
          await keepAnAdmin(tx);
        }
        const at = now();
        const updated = await updateUser(tx, id, {
          updated_at: at,
          ...(patch.role !== undefined ? { role: patch.role } : {}),
          ...(hash !== undefined ? { password_hash: hash } : {}),
        });
        if (hash !== undefined) await deleteUserSessions(tx, id);
        await appendAudit(tx, {
          at,
          actor: actor(principal),
          action: 'user.update',
          target: `user:${row.name}`,
          detail: {
            ...(patch.role !== undefined ? { role: patch.role } : {}),
            password: patch.password !== undefined,
          },
        });
        return userView(updated!);
      });
    },

    async delete(principal: Principal, id: number): Promise<void> {
      await db.transaction().execute(async (tx) => {
        const row = await findUserById(tx, id);
        if (!row) throw new CenterError('BULKHEAD_ERR_USER_NOT_FOUND', `no user ${id}`);
        if (row.role === 'admin') await keepAnAdmin(tx);
        await deleteUserSessions(tx, id);
        await deleteUser(tx, id);
        await appendAudit(tx, {
          at: now(),
          actor: actor(principal),
          action: 'user.delete',
          target: `user:${row.name}`,
          detail: {},
        });
      });
    },

    /**
     * First start: when there is no user at all, create `admin` with a random password and return it (once) for
     * the caller to hand over; otherwise null.
     */
    async ensureInitialAdmin(): Promise<{ name: string; password: string } | null> {
      if ((await countUsers(db)) > 0) return null;
      const password = randomPassword();
      await users.add(SYSTEM_FIRST_RUN, { name: 'admin', role: 'admin', password });
      return { name: 'admin', password };
    },
  };

  async function keepAnAdmin(tx: Parameters<typeof countUsers>[0]): Promise<void> {
    if ((await countUsers(tx, 'admin')) <= 1) {
      throw new CenterError('BULKHEAD_ERR_LAST_ADMIN', 'the last admin cannot be removed or demoted');
    }
  }

  const audit = {
    async list(query: AuditQuery): Promise<Page<AuditView>> {
      const limit = pageLimit(query.limit);
      const before = idCursor(query.cursor);
      const filters = {
        ...(query.action ? { action: query.action } : {}),
        ...(query.actor ? { actorId: query.actor } : {}),
      };
      const rows = await listAudit(db, { limit: limit + 1, ...filters, ...(before ? { before } : {}) });
      return page(rows, limit, (r) => r, await countAudit(db, filters));
    },
  };

  /** Whether `token` is the CSRF token of the session (compared in constant time). */
  function checkCsrf(sessionId: string, token: string): boolean {
    const expected = Buffer.from(csrfTokenFor(sessionId));
    const given = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  return { authenticate, login, logout, currentSession, checkCsrf, tokens, users, audit };
}

const SYSTEM_FIRST_RUN: Principal = { kind: 'system', id: 'first-run', name: 'bulkhead', role: 'admin' };

function page<R extends { id: number }, V>(
  rows: R[],
  limit: number,
  view: (r: R) => V,
  total: number,
): Page<V> {
  const items = rows.slice(0, limit);
  const next = rows.length > limit ? encodeCursor({ id: items.at(-1)!.id }) : null;
  return { items: items.map(view), next, total };
}

function userPrincipal(user: UserRow): Principal {
  return { kind: 'user', id: String(user.id), name: user.name, role: user.role as Role };
}

function userView(row: UserRow): UserView {
  return {
    id: row.id,
    name: row.name,
    role: row.role as Role,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function tokenView(row: ApiTokenRow): TokenView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    role: row.role as Role,
    scope: row.scope,
    createdBy: row.created_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

function validation(field: string, message: string): CenterError {
  return new CenterError('BULKHEAD_ERR_VALIDATION', `${field}: ${message}`);
}

function checkRole(role: string): void {
  if (!(ROLES as readonly string[]).includes(role)) throw validation('role', `one of ${ROLES.join(', ')}`);
}

function checkPassword(password: string): void {
  if (password.length < 8) throw validation('password', 'at least 8 characters');
}

/** YYYY-MM-DD (that day, 00:00 UTC) or an ISO date-time; must lie in the future. */
function parseExpiry(value: string, now: string): string {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00.000Z` : value;
  const ms = Date.parse(date);
  if (Number.isNaN(ms)) throw validation('expires', `not a date: ${value}`);
  const iso = new Date(ms).toISOString();
  if (iso <= now) throw validation('expires', `${value} is not in the future`);
  return iso;
}
