import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApp, type TestApp } from '../serve/test-support.js';

describe.each(DIALECTS)('access rules on %s', (dialect) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it('refuses no credentials (401), writes by a viewer (403, before validation) and unknown tokens (401)', async () => {
    t = await startTestApp(dialect);
    expect((await t.app.inject({ url: '/api/v1/resources' })).json().error.code).toBe(
      'BULKHEAD_ERR_UNAUTHENTICATED',
    );
    const viewer = await t.auth('viewer');
    const forbidden = await t.app.inject({
      method: 'POST',
      url: '/api/v1/exceptions',
      headers: viewer,
      payload: { not: 'an exception' },
    });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.code).toBe('BULKHEAD_ERR_FORBIDDEN');
    // not even read: a malformed body is still 403
    const malformed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: { ...viewer, 'content-type': 'application/json' },
      payload: '{oops',
    });
    expect(malformed.statusCode).toBe(403);
    expect(
      (await t.app.inject({ method: 'PATCH', url: '/api/v1/alerts/1', headers: viewer, payload: {} }))
        .statusCode,
    ).toBe(403);
    expect((await t.app.inject({ url: '/api/v1/users', headers: viewer })).statusCode).toBe(403);
    const bogus = await t.app.inject({
      url: '/api/v1/resources',
      headers: { authorization: 'Bearer bh_abcdefgh_nope' },
    });
    expect(bogus.statusCode).toBe(401);
    const basic = await t.app.inject({ url: '/api/v1/resources', headers: { authorization: 'Basic YTpi' } });
    expect(basic.statusCode).toBe(401);
  });

  it('lets an agent push reports and read exceptions, nothing else', async () => {
    t = await startTestApp(dialect);
    const agent = await t.auth('agent');
    // past authorization, the body is checked: 400, not 403
    const push = await t.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      headers: agent,
      payload: { kind: 1 },
    });
    expect(push.statusCode).toBe(400);
    expect(push.json().error.code).toBe('BULKHEAD_ERR_VALIDATION');
    const exceptions = await t.app.inject({ url: '/api/v1/exceptions?status=nope', headers: agent });
    expect(exceptions.statusCode).toBe(400);
    const one = await t.app.inject({ url: '/api/v1/exceptions/x', headers: agent });
    expect(one.statusCode).toBe(400);
    for (const url of ['/resources', '/findings', '/alerts', '/score', '/reports', '/tokens', '/audit-log']) {
      const res = await t.app.inject({ url: `/api/v1${url}`, headers: agent });
      expect(res.statusCode, url).toBe(403);
    }
    const create = await t.app.inject({
      method: 'POST',
      url: '/api/v1/exceptions',
      headers: agent,
      payload: { targets: ['CVE-1'], selector: {}, reason: 'x' },
    });
    expect(create.statusCode).toBe(403);
  });

  it('refuses a revoked or expired token with 401', async () => {
    t = await startTestApp(dialect);
    const admin = await t.auth('admin');
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: admin,
      payload: { name: 'short-lived', role: 'viewer', expires: '2026-12-02T00:00:00Z' },
    });
    expect(created.statusCode).toBe(201);
    const { token, id } = created.json();
    const viewer = { authorization: `Bearer ${token}` };
    expect((await t.app.inject({ url: '/api/v1/session', headers: viewer })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/v1/exceptions?status=x', headers: viewer })).statusCode).toBe(
      400,
    );
    t.clock.now = new Date('2026-12-02T00:00:00.000Z');
    expect((await t.app.inject({ url: '/api/v1/exceptions', headers: viewer })).statusCode).toBe(401);
    t.clock.now = new Date('2026-12-01T12:00:00.000Z');
    const revoke = await t.app.inject({ method: 'DELETE', url: `/api/v1/tokens/${id}`, headers: admin });
    expect(revoke.json().revokedAt).toBe('2026-12-01T12:00:00.000Z');
    const after = await t.app.inject({ url: '/api/v1/exceptions', headers: viewer });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('BULKHEAD_ERR_UNAUTHENTICATED');
  });

  it('keeps token strings and passwords out of the database, the logs and the API', async () => {
    t = await startTestApp(dialect);
    const admin = await t.auth('admin');
    const password = 'pw-Ki8vQ2mZ7xL1';
    const user = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin,
      payload: { name: 'ada', role: 'operator', password },
    });
    expect(user.statusCode).toBe(201);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: admin,
      payload: { name: 'ci', role: 'viewer' },
    });
    const token: string = created.json().token;
    const secret = token.split('_').slice(2).join('_');
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { name: 'ada', password },
    });
    const cookie = login.cookies.find((c) => c.name === 'bulkhead_session')!;
    const outputs: string[] = [user.body, login.body];
    for (const url of [
      '/api/v1/tokens?revoked=true',
      '/api/v1/users',
      '/api/v1/audit-log',
      '/api/v1/tokens?format=csv',
    ]) {
      outputs.push((await t.app.inject({ url, headers: admin })).body);
    }
    await t.app.inject({ url: '/api/v1/session', headers: { authorization: `Bearer ${token}` } });
    const everything = [...outputs, ...t.logs].join('\n');
    for (const s of [password, secret, cookie.value]) expect(everything).not.toContain(s);
    expect(t.logs.length).toBeGreaterThan(5);
    const audit = (await t.app.inject({ url: '/api/v1/audit-log', headers: admin })).json();
    expect(audit.items.map((e: { action: string }) => e.action)).toEqual([
      'session.login',
      'token.create',
      'user.create',
      'token.create',
    ]);
    if (dialect === 'sqlite') {
      await t.store.db.destroy();
      const bytes = ['', '-wal']
        .map((suffix) => {
          try {
            return readFileSync(`${t.store.location}${suffix}`).toString('latin1');
          } catch {
            return '';
          }
        })
        .join('');
      expect(bytes.length).toBeGreaterThan(0);
      for (const s of [password, secret, token, cookie.value]) expect(bytes).not.toContain(s);
    }
  });

  it('needs the CSRF token for cookie writes, not for token writes; logs in and out', async () => {
    t = await startTestApp(dialect, { secureCookies: true });
    await t.center.access.users.add(
      { kind: 'system', id: 'test', name: 'test', role: 'admin' },
      { name: 'root', role: 'admin', password: 'root-password' },
    );
    expect((await t.app.inject({ url: '/api/v1/session' })).json()).toEqual({ user: null });
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { name: 'root', password: 'nope-nope' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('BULKHEAD_ERR_LOGIN_FAILED');
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { name: 'root', password: 'root-password' },
    });
    expect(login.statusCode).toBe(200);
    const cookie = login.cookies.find((c) => c.name === 'bulkhead_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', secure: true, path: '/' });
    const { csrfToken, user } = login.json();
    expect(user.name).toBe('root');
    const cookies = { bulkhead_session: cookie.value };
    const me = await t.app.inject({ url: '/api/v1/session', cookies });
    expect(me.json()).toMatchObject({ user: { name: 'root' }, csrfToken });
    expect((await t.app.inject({ url: '/api/v1/tokens', cookies })).statusCode).toBe(200);
    const body = { name: 'from the dashboard', role: 'viewer' };
    const refused = await t.app.inject({ method: 'POST', url: '/api/v1/tokens', cookies, payload: body });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('BULKHEAD_ERR_CSRF');
    const forged = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      cookies,
      headers: { 'x-csrf-token': 'f'.repeat(64) },
      payload: body,
    });
    expect(forged.json().error.code).toBe('BULKHEAD_ERR_CSRF');
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      cookies,
      headers: { 'x-csrf-token': csrfToken },
      payload: body,
    });
    expect(ok.statusCode).toBe(201);
    const tokenWrite = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: await t.auth('admin'),
      payload: body,
    });
    expect(tokenWrite.statusCode).toBe(201);
    expect((await t.app.inject({ method: 'DELETE', url: '/api/v1/session', cookies })).statusCode).toBe(403);
    const out = await t.app.inject({
      method: 'DELETE',
      url: '/api/v1/session',
      cookies,
      headers: { 'x-csrf-token': csrfToken },
    });
    expect(out.statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/v1/session', cookies })).json()).toEqual({ user: null });
    expect((await t.app.inject({ url: '/api/v1/tokens', cookies })).statusCode).toBe(401);
  });

  it('rate limits logins per address and user name', async () => {
    t = await startTestApp(dialect, { loginRateLimit: 3 });
    const attempt = (name: string) =>
      t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { name, password: 'guess-guess' } });
    for (let i = 0; i < 3; i++) expect((await attempt('admin')).statusCode).toBe(401);
    const limited = await attempt('admin');
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('BULKHEAD_ERR_RATE_LIMITED');
    expect((await attempt('someone-else')).statusCode).toBe(401);
  });
});
