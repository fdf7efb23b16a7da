import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../serve/test-support.js';

describe('/api/v1/packages', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('sqlite');
  });
  afterAll(async () => t?.close());

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
