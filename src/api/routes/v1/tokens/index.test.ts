import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApp, type TestApp } from '../../../../serve/test-support.js';

describe.each(DIALECTS)('/api/v1/tokens on %s', (dialect) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it('creates a token shown once, lists it without its secret and revokes it by prefix', async () => {
    t = await startTestApp(dialect);
    const headers = await t.auth('admin');
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers,
      payload: { name: 'agent node-1', role: 'agent', scope: 'host:node-1' },
    });
    expect(created.statusCode).toBe(201);
    const body = created.json();
    expect(body).toMatchObject({
      name: 'agent node-1',
      role: 'agent',
      scope: 'host:node-1',
      revokedAt: null,
    });
    expect(body.token).toMatch(new RegExp(`^bh_${body.prefix}_`));
    const list = await t.app.inject({ url: '/api/v1/tokens', headers });
    expect(list.body).not.toContain(body.token);
    expect(list.json().items.map((x: { prefix: string }) => x.prefix)).toContain(body.prefix);
    const badScope = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers,
      payload: { name: 'x', role: 'agent', scope: 'pod:x' },
    });
    expect(badScope.json().error.message).toMatch(/^body\.scope: /);
    const revoked = await t.app.inject({ method: 'DELETE', url: `/api/v1/tokens/${body.prefix}`, headers });
    expect(revoked.json().revokedAt).not.toBeNull();
    expect((await t.app.inject({ url: '/api/v1/tokens', headers })).json().items).toHaveLength(1);
    expect((await t.app.inject({ url: '/api/v1/tokens?revoked=true', headers })).json().total).toBe(2);
    const missing = await t.app.inject({ method: 'DELETE', url: '/api/v1/tokens/424242', headers });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('BULKHEAD_ERR_TOKEN_NOT_FOUND');
  });
});
