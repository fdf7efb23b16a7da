import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../serve/test-support.js';

// What the HTTP layer decides on its own for /exceptions: who may call it and what input it takes. The
// answers come from the center's service and are checked against the response schema when they leave.
describe('/api/v1/exceptions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('sqlite');
  });
  afterAll(async () => t?.close());

  it('needs credentials and the right role, checked before the input', async () => {
    const calls = [
      { method: 'POST', url: '/api/v1/exceptions', role: 'viewer' },
      { method: 'PATCH', url: '/api/v1/exceptions/1', role: 'viewer' },
      { method: 'POST', url: '/api/v1/exceptions/1/approve', role: 'agent' },
      { method: 'DELETE', url: '/api/v1/exceptions/1', role: 'agent' },
    ] as const;
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
      method: 'POST',
      url: '/api/v1/exceptions',
      headers: await t.auth('admin'),
      payload: { targets: [], selector: {}, reason: 'x' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('BULKHEAD_ERR_VALIDATION');
    expect(res.json().error.message).toMatch(/^body\.targets/);
  });
});
