import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../serve/test-support.js';

// What the HTTP layer decides on its own for /packages: who may call it and what input it takes. The
// answers come from the center's service and are checked against the response schema when they leave.
describe('/api/v1/packages', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('sqlite');
  });
  afterAll(async () => t?.close());

  it('needs credentials and the right role, checked before the input', async () => {
    const calls = [{ method: 'GET', url: '/api/v1/packages?name=openssl', role: 'agent' }] as const;
    for (const call of calls) {
      const anonymous = await t.app.inject({ method: call.method, url: call.url, payload: { bad: true } });
      expect(anonymous.statusCode, call.url).toBe(401);
      const forbidden = await t.app.inject({
        method: call.method,
        url: call.url,
        headers: await t.auth(call.role),
        payload: { bad: true },
      });
      expect(forbidden.statusCode, `${call.method} ${call.url}`).toBe(403);
      expect(forbidden.json().error.code).toBe('BULKHEAD_ERR_FORBIDDEN');
    }
  });

  it('refuses invalid input with 400 naming the field', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/packages?sort=size',
      headers: await t.auth('admin'),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('BULKHEAD_ERR_VALIDATION');
    expect(res.json().error.message).toMatch(/^querystring\.sort/);
  });

  it('refuses a query with neither name nor purl, and its OpenAPI parameters say one is required', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/packages',
      headers: await t.auth('admin'),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/name or purl is required/);
    const doc = (await t.app.inject({ url: '/api/v1/openapi.json' })).json();
    const parameters = doc.paths['/api/v1/packages'].get.parameters as {
      name: string;
      description?: string;
    }[];
    for (const name of ['name', 'purl'])
      expect(parameters.find((p) => p.name === name)?.description, name).toMatch(/is required/);
  });
});
