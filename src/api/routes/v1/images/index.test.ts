import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../serve/test-support.js';

// What the HTTP layer decides on its own for /images: who may call it and what input it takes. The
// answers come from the center's service; test/e2e/center.test.ts checks them against the response schemas.
describe('/api/v1/images', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('sqlite');
  });
  afterAll(async () => t?.close());

  it('needs credentials; an agent may ask (image scan --push applies the verdict to its gate)', async () => {
    const url =
      '/api/v1/images/sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/verdict';
    const anonymous = await t.app.inject({ method: 'GET', url });
    expect(anonymous.statusCode, url).toBe(401);
    for (const role of ['agent', 'viewer'] as const) {
      const res = await t.app.inject({ method: 'GET', url, headers: await t.auth(role) });
      expect(res.statusCode, role).toBe(200);
      expect(res.json()).toMatchObject({ verdict: 'not_assessed', severity: 'HIGH' });
    }
  });

  it('refuses invalid input with 400 naming the field', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/images/latest/verdict',
      headers: await t.auth('admin'),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('BULKHEAD_ERR_VALIDATION');
    expect(res.json().error.message).toMatch(/^params\.digest/);
  });
});
