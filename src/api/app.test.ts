import { readdirSync, readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CENTER_ERROR_CODES, PERMISSIONS } from '../center/index.js';
import { startTestApp, type TestApp } from '../serve/test-support.js';
import { ERROR_STATUS } from './plugins/errors.js';
import { V1_ROUTES } from './routes/v1/index.js';

describe('the app', () => {
  let t: TestApp;
  const routes: RouteOptions[] = [];
  beforeAll(async () => {
    t = await startTestApp('sqlite', { onRoute: (r) => void routes.push(r), bodyLimit: 2048 });
  });
  afterAll(async () => t?.close());

  it('declares tags, a 2xx and a 4xx response and a permission on every /api/v1 route', () => {
    const api = routes.filter((r) => r.url.startsWith('/api/v1/') && r.url !== '/api/v1/openapi.json');
    expect(api.length).toBeGreaterThan(25);
    for (const route of api) {
      const where = `${route.method} ${route.url}`;
      const schema = route.schema as { tags?: string[]; response?: Record<string, unknown> };
      expect(schema?.tags?.length, where).toBeGreaterThan(0);
      const statuses = Object.keys(schema?.response ?? {}).map(Number);
      expect(
        statuses.some((s) => s >= 200 && s < 300),
        where,
      ).toBe(true);
      expect(
        statuses.some((s) => s >= 400 && s < 500),
        where,
      ).toBe(true);
      const permission = (route.config as { permission?: string } | undefined)?.permission;
      expect([...PERMISSIONS, 'public'], where).toContain(permission);
    }
    const paths = new Set(api.map((r) => r.url.replace(/\/$/, '')));
    for (const path of [
      '/api/v1/resources',
      '/api/v1/resources/:key',
      '/api/v1/findings',
      '/api/v1/control-results',
      '/api/v1/alerts',
      '/api/v1/alerts/:id',
      '/api/v1/recommendations',
      '/api/v1/recommendations/:id',
      '/api/v1/score',
      '/api/v1/compliance',
      '/api/v1/exceptions',
      '/api/v1/exceptions/:id',
      '/api/v1/exceptions/:id/approve',
      '/api/v1/reports',
      '/api/v1/reports/:id',
      '/api/v1/reports/:id/document',
      '/api/v1/packages',
      '/api/v1/images/:digest/verdict',
      '/api/v1/tokens',
      '/api/v1/users',
      '/api/v1/audit-log',
      '/api/v1/session',
    ]) {
      expect(paths, path).toContain(path);
    }
  });

  it('registers every route folder exactly once', () => {
    const folders = readdirSync(new URL('./routes/v1/', import.meta.url), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    expect(V1_ROUTES.map((r) => r.folder)).toEqual(folders);
  });

  it('serves an OpenAPI 3.1 document that validates, with named schemas as $refs', async () => {
    const res = await t.app.inject({ url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    const validator = new Validator();
    const result = await validator.validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    expect(doc.components.schemas.Token).toBeDefined();
    expect(JSON.stringify(doc.paths['/api/v1/tokens'].get.responses['200'])).toContain(
      '#/components/schemas/',
    );
    // only the API is documented
    expect(Object.keys(doc.paths).every((p) => p.startsWith('/api/v1/'))).toBe(true);
  });

  it('serves the docs page from the installed package, without a CDN', async () => {
    const res = await t.app.inject({ url: '/api/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toMatch(/https?:\/\/(unpkg|cdn|cdnjs)/);
    const init = await t.app.inject({ url: '/api/docs/static/swagger-initializer.js' });
    expect(init.body).toContain('/api/v1/openapi.json');
    expect((await t.app.inject({ url: '/api/docs/static/swagger-ui-bundle.js' })).statusCode).toBe(200);
  });

  it('answers unknown routes, malformed JSON, large bodies and validation errors with one error shape', async () => {
    const notFound = await t.app.inject({ url: '/api/v1/nothing-here' });
    expect(notFound.statusCode).toBe(404);
    expect(notFound.json()).toEqual({
      error: { code: 'BULKHEAD_ERR_NOT_FOUND', message: 'no route GET /api/v1/nothing-here' },
    });
    const headers = { ...(await t.auth('admin')), 'content-type': 'application/json' };
    const malformed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers,
      payload: '{"name":',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('BULKHEAD_ERR_BODY_MALFORMED');
    const large = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers,
      payload: JSON.stringify({ name: 'x'.repeat(4096), role: 'viewer' }),
    });
    expect(large.statusCode).toBe(413);
    expect(large.json().error.code).toBe('BULKHEAD_ERR_BODY_TOO_LARGE');
    const invalid = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers,
      payload: { name: 'ci', role: 'root' },
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error).toMatchObject({ code: 'BULKHEAD_ERR_VALIDATION' });
    expect(invalid.json().error.message).toMatch(/^body\.role: /);
    const query = await t.app.inject({ url: '/api/v1/tokens?limit=0', headers });
    expect(query.json().error.message).toMatch(/^querystring\.limit: /);
    const cursor = await t.app.inject({ url: '/api/v1/tokens?cursor=abc', headers });
    expect(cursor.statusCode).toBe(400);
    expect(cursor.json().error.code).toBe('BULKHEAD_ERR_CURSOR_INVALID');
  });

  it('answers /healthz, /readyz and Prometheus /metrics', async () => {
    expect((await t.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await t.app.inject({ url: '/readyz' })).statusCode).toBe(200);
    await t.app.inject({ url: '/api/v1/score' });
    const metrics = await t.app.inject({ url: '/metrics' });
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
    expect(metrics.body).toContain('# TYPE bulkhead_http_requests_total counter');
    expect(metrics.body).toMatch(
      /bulkhead_http_requests_total\{method="GET",route="\/api\/v1\/score",status="401"\} 1/,
    );
    expect(metrics.body).toMatch(
      /bulkhead_http_request_duration_seconds_count\{method="GET",route="\/healthz"\} 1/,
    );
    expect(metrics.body).toContain('bulkhead_reports_ingested_total 0');
  });

  it('answers a list as RFC 4180 CSV with ?format=csv', async () => {
    const headers = await t.auth('admin');
    await t.center.access.tokens.create(
      { kind: 'system', id: 'test', name: 'test', role: 'admin' },
      { name: 'needs "quotes", and commas', role: 'viewer' },
    );
    const res = await t.app.inject({ url: '/api/v1/tokens?format=csv', headers });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const lines = res.body.split('\r\n');
    expect(lines[0]).toBe('id,name,prefix,role,scope,createdBy,createdAt,expiresAt,lastUsedAt,revokedAt');
    expect(res.body).toContain('"needs ""quotes"", and commas"');
    expect(res.body.endsWith('\r\n')).toBe(true);
    expect(res.headers['x-total-count']).toBe(String(lines.length - 2));
    const audit = await t.app.inject({ url: '/api/v1/audit-log?format=csv', headers });
    expect(audit.body.split('\r\n')[0]).toBe('id,at,actor,action,target,detail');
    // nested values are JSON, quoted
    expect(audit.body).toMatch(/"\{""kind"":""system""/);
  });

  it('answers an unexpected failure with 500 and a request id, the detail in the log only', async () => {
    const broken = await startTestApp('sqlite');
    try {
      const headers = await broken.auth('admin');
      await broken.store.close();
      const res = await broken.app.inject({ url: '/api/v1/tokens', headers });
      expect(res.statusCode).toBe(500);
      const { error } = res.json();
      expect(error.code).toBe('BULKHEAD_ERR_INTERNAL');
      expect(error.requestId).toBeTruthy();
      expect(error.message).not.toMatch(/driver|destroy|sqlite/i);
      const logged = broken.logs.map((l) => JSON.parse(l)).find((l) => l.level === 50);
      expect(logged.reqId).toBe(error.requestId);
      expect(logged.err).toBeDefined();
    } finally {
      await broken.app.close();
      await broken.database.dispose();
    }
  });
});

describe('error codes', () => {
  it('maps every code to a status and documents each in docs/api.md', () => {
    const docs = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
    for (const code of CENTER_ERROR_CODES) {
      expect(ERROR_STATUS[code], code).toBeGreaterThanOrEqual(400);
      expect(docs, code).toContain(`\`${code}\``);
    }
  });
});
