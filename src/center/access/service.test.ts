import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { listAudit } from '../../store/audit-log.js';
import type { Store } from '../../store/index.js';
import { DIALECTS, freshDatabase, type TestDatabase } from '../../store/test-support/dialects.js';
import { SYSTEM } from '../principal.js';
import { hashPassword, verifyPassword } from './password.js';
import { createAccessService } from './service.js';

describe('passwords', () => {
  it('are scrypt hashes with N=2^15, r=8, p=1 and a 16-byte salt, checked in constant time', async () => {
    const hash = await hashPassword('correct horse');
    const [kind, n, r, p, salt, key] = hash.split('$');
    expect([kind, n, r, p]).toEqual(['scrypt', '32768', '8', '1']);
    expect(Buffer.from(salt!, 'base64')).toHaveLength(16);
    expect(Buffer.from(key!, 'base64')).toHaveLength(32);
    expect(await verifyPassword('correct horse', hash)).toBe(true);
    expect(await verifyPassword('correct hors', hash)).toBe(false);
    expect(await verifyPassword('x', 'plain')).toBe(false);
    expect(await hashPassword('correct horse')).not.toBe(hash);
  });
});

describe.each(DIALECTS)('access service on %s', (dialect) => {
  let database: TestDatabase;
  let store: Store;
  const clock = { now: new Date('2026-12-01T10:00:00.000Z') };
  const service = () => createAccessService({ store, clock: () => clock.now }, { sessionTtlMs: 3_600_000 });

  afterEach(async () => {
    await store?.close();
    await database?.dispose();
    clock.now = new Date('2026-12-01T10:00:00.000Z');
  });

  it('logs a user in and out; sessions expire; every change is audited', async () => {
    database = await freshDatabase(dialect);
    store = await database.open();
    const access = service();
    const user = await access.users.add(SYSTEM, { name: 'ada', role: 'operator', password: 'sesame-sesame' });
    await expect(access.login('ada', 'wrong-password')).rejects.toMatchObject({
      code: 'BULKHEAD_ERR_LOGIN_FAILED',
    });
    await expect(access.login('nobody', 'sesame-sesame')).rejects.toMatchObject({
      code: 'BULKHEAD_ERR_LOGIN_FAILED',
    });
    const login = await access.login('ada', 'sesame-sesame');
    expect(login.sessionId).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await access.authenticate({ sessionId: login.sessionId })).toMatchObject({
      kind: 'user',
      name: 'ada',
      role: 'operator',
    });
    expect(access.checkCsrf(login.sessionId, login.csrfToken)).toBe(true);
    expect(access.checkCsrf(login.sessionId, `${login.csrfToken.slice(1)}0`)).toBe(false);
    expect((await access.currentSession(login.sessionId)).user?.id).toBe(user.id);
    // the store holds the session id's hash only
    const rows = await store.db.selectFrom('sessions').selectAll().execute();
    expect(rows.map((r) => r.id_hash)).not.toContain(login.sessionId);
    await access.logout(login.sessionId);
    expect(await access.authenticate({ sessionId: login.sessionId })).toBeNull();
    const again = await access.login('ada', 'sesame-sesame');
    clock.now = new Date(clock.now.getTime() + 3_600_001);
    expect(await access.authenticate({ sessionId: again.sessionId })).toBeNull();
    expect(await access.currentSession(again.sessionId)).toEqual({ user: null });
    const actions = (await listAudit(store.db, { limit: 10 })).map((e) => e.action).reverse();
    expect(actions).toEqual(['user.create', 'session.login', 'session.logout', 'session.login']);
  });

  it('creates, finds, expires and revokes tokens by id or prefix; only hashes are stored', async () => {
    database = await freshDatabase(dialect);
    store = await database.open();
    const access = service();
    const agent = await access.tokens.create(SYSTEM, {
      name: 'node-1 agent',
      role: 'agent',
      scope: 'host:node-1',
      expires: '2026-12-02',
    });
    expect(agent.token).toMatch(/^bh_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
    expect(agent.token.slice(3, 11)).toBe(agent.prefix);
    expect(await access.authenticate({ bearer: agent.token })).toEqual({
      kind: 'token',
      id: String(agent.id),
      name: 'node-1 agent',
      role: 'agent',
      scope: 'host:node-1',
    });
    expect(await access.authenticate({ bearer: `${agent.token}x` })).toBeNull();
    expect(await access.authenticate({ bearer: 'not a token' })).toBeNull();
    const [row] = await store.db.selectFrom('api_tokens').selectAll().execute();
    expect(row!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(agent.token.slice(12));
    expect(row!.last_used_at).toBe(clock.now.toISOString());
    clock.now = new Date('2026-12-02T00:00:00.000Z');
    expect(await access.authenticate({ bearer: agent.token })).toBeNull();

    const viewer = await access.tokens.create(SYSTEM, { name: 'dashboards', role: 'viewer' });
    expect((await access.tokens.list({})).items.map((t) => t.name)).toEqual(['node-1 agent', 'dashboards']);
    await access.tokens.revoke(SYSTEM, viewer.prefix);
    expect(await access.authenticate({ bearer: viewer.token })).toBeNull();
    expect((await access.tokens.list({})).total).toBe(1);
    expect((await access.tokens.list({ revoked: true })).total).toBe(2);
    await expect(access.tokens.revoke(SYSTEM, 'nope')).rejects.toMatchObject({
      code: 'BULKHEAD_ERR_TOKEN_NOT_FOUND',
    });
    await expect(
      access.tokens.create(SYSTEM, { name: 'x', role: 'agent', scope: 'image:x' }),
    ).rejects.toMatchObject({
      code: 'BULKHEAD_ERR_VALIDATION',
    });
    await expect(
      access.tokens.create(SYSTEM, { name: 'x', role: 'viewer', expires: '2026-01-01' }),
    ).rejects.toMatchObject({ code: 'BULKHEAD_ERR_VALIDATION' });
    const audit = await listAudit(store.db, { limit: 10 });
    expect(audit.map((e) => e.action)).toEqual(['token.revoke', 'token.create', 'token.create']);
    expect(JSON.stringify(audit)).not.toContain(agent.token);
  });

  it('pages users with a cursor and keeps one admin', async () => {
    database = await freshDatabase(dialect);
    store = await database.open();
    const access = service();
    const first = await access.users.ensureInitialAdmin();
    expect(first?.name).toBe('admin');
    expect(await access.users.ensureInitialAdmin()).toBeNull();
    await access.users.add(SYSTEM, { name: 'bob', role: 'viewer', password: 'password-1' });
    await expect(
      access.users.add(SYSTEM, { name: 'bob', role: 'viewer', password: 'password-1' }),
    ).rejects.toMatchObject({ code: 'BULKHEAD_ERR_USER_EXISTS' });
    const page1 = await access.users.list({ limit: 1 });
    expect(page1).toMatchObject({ total: 2, items: [{ name: 'admin' }] });
    const page2 = await access.users.list({ limit: 1, cursor: page1.next! });
    expect(page2).toMatchObject({ next: null, items: [{ name: 'bob' }] });
    await expect(access.users.list({ cursor: 'garbage' })).rejects.toMatchObject({
      code: 'BULKHEAD_ERR_CURSOR_INVALID',
    });
    const admin = page1.items[0]!;
    await expect(access.users.update(SYSTEM, admin.id, { role: 'viewer' })).rejects.toMatchObject({
      code: 'BULKHEAD_ERR_LAST_ADMIN',
    });
    await expect(access.users.delete(SYSTEM, admin.id)).rejects.toMatchObject({
      code: 'BULKHEAD_ERR_LAST_ADMIN',
    });
    // a new password ends the sessions
    const login = await access.login('admin', first!.password);
    await access.users.update(SYSTEM, admin.id, { password: 'a-new-password' });
    expect(await access.authenticate({ sessionId: login.sessionId })).toBeNull();
    await access.login('admin', 'a-new-password');
    if (dialect === 'sqlite') {
      const bytes = readFileSync(store.location).toString('latin1');
      expect(bytes).not.toContain(first!.password);
      expect(bytes).not.toContain('a-new-password');
    }
  });
});
