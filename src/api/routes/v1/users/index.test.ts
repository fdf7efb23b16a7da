import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApp, type TestApp } from '../../../../serve/test-support.js';

describe.each(DIALECTS)('/api/v1/users on %s', (dialect) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it('adds, lists, changes and removes users; the last admin stays', async () => {
    t = await startTestApp(dialect);
    const headers = await t.auth('admin');
    const add = (name: string, role: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers,
        payload: { name, role, password: 'long-enough' },
      });
    const root = (await add('root', 'admin')).json();
    expect(root).toMatchObject({ name: 'root', role: 'admin' });
    expect(root).not.toHaveProperty('password');
    const ada = (await add('ada', 'viewer')).json();
    expect((await add('ada', 'viewer')).json().error.code).toBe('BULKHEAD_ERR_USER_EXISTS');
    const page = (await t.app.inject({ url: '/api/v1/users?limit=1', headers })).json();
    expect(page).toMatchObject({ total: 2, items: [{ name: 'root' }] });
    const next = (await t.app.inject({ url: `/api/v1/users?limit=1&cursor=${page.next}`, headers })).json();
    expect(next).toMatchObject({ next: null, items: [{ name: 'ada' }] });
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${ada.id}`,
      headers,
      payload: { role: 'operator' },
    });
    expect(patched.json().role).toBe('operator');
    const demote = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${root.id}`,
      headers,
      payload: { role: 'viewer' },
    });
    expect(demote.statusCode).toBe(409);
    expect(demote.json().error.code).toBe('BULKHEAD_ERR_LAST_ADMIN');
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/v1/users/${ada.id}`, headers })).statusCode,
    ).toBe(204);
    const gone = await t.app.inject({ url: `/api/v1/users/${ada.id}`, headers });
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error.code).toBe('BULKHEAD_ERR_USER_NOT_FOUND');
  });
});
