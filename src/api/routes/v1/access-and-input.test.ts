import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../../center/index.js';
import { startTestApp, type TestApp } from '../../../serve/test-support.js';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

interface RouteChecks {
  /** Calls that a role below the route's permission makes: 401 without credentials, 403 with that role. */
  forbidden: readonly { method: Method; url: string; role: Role }[];
  /** One invalid request by an admin: 400 naming the field. */
  invalid?: { request: { method: Method; url: string; payload?: unknown }; field: RegExp };
}

/**
 * What the HTTP layer decides on its own for each resource folder, before any service runs: who may call it
 * (authorization is checked before the input, so a forbidden call with a bad body is 403) and what input it
 * takes. The answers themselves come from the center and are checked against the response schemas elsewhere.
 */
const ROUTES: Record<string, RouteChecks> = {
  alerts: {
    forbidden: [
      { method: 'GET', url: '/api/v1/alerts', role: 'agent' },
      { method: 'PATCH', url: '/api/v1/alerts/1', role: 'viewer' },
    ],
    invalid: {
      request: { method: 'PATCH', url: '/api/v1/alerts/1', payload: { state: 'gone' } },
      field: /^body\.state/,
    },
  },
  compliance: {
    forbidden: [{ method: 'GET', url: '/api/v1/compliance?standard=nsa', role: 'agent' }],
    invalid: {
      request: { method: 'GET', url: '/api/v1/compliance?standard=iso-27001' },
      field: /^querystring\.standard/,
    },
  },
  'control-results': {
    forbidden: [{ method: 'GET', url: '/api/v1/control-results', role: 'agent' }],
    invalid: {
      request: { method: 'GET', url: '/api/v1/control-results?engine=nope' },
      field: /^querystring\.engine/,
    },
  },
  exceptions: {
    forbidden: [
      { method: 'POST', url: '/api/v1/exceptions', role: 'viewer' },
      { method: 'PATCH', url: '/api/v1/exceptions/1', role: 'viewer' },
      { method: 'POST', url: '/api/v1/exceptions/1/approve', role: 'agent' },
      { method: 'DELETE', url: '/api/v1/exceptions/1', role: 'agent' },
    ],
    invalid: {
      request: {
        method: 'POST',
        url: '/api/v1/exceptions',
        payload: { targets: [], selector: {}, reason: 'x' },
      },
      field: /^body\.targets/,
    },
  },
  findings: {
    forbidden: [{ method: 'GET', url: '/api/v1/findings', role: 'agent' }],
    invalid: { request: { method: 'GET', url: '/api/v1/findings?limit=501' }, field: /^querystring\.limit/ },
  },
  packages: {
    forbidden: [{ method: 'GET', url: '/api/v1/packages?name=openssl', role: 'agent' }],
    invalid: { request: { method: 'GET', url: '/api/v1/packages?sort=size' }, field: /^querystring\.sort/ },
  },
  recommendations: {
    forbidden: [
      { method: 'GET', url: '/api/v1/recommendations', role: 'agent' },
      { method: 'GET', url: '/api/v1/recommendations/CIS-DI-0001', role: 'agent' },
    ],
    invalid: {
      request: { method: 'GET', url: '/api/v1/recommendations?active=maybe' },
      field: /^querystring\.active/,
    },
  },
  reports: {
    forbidden: [
      { method: 'POST', url: '/api/v1/reports', role: 'viewer' },
      { method: 'GET', url: '/api/v1/reports', role: 'agent' },
      { method: 'GET', url: '/api/v1/reports/1', role: 'agent' },
      { method: 'GET', url: '/api/v1/reports/1/document', role: 'agent' },
    ],
    invalid: { request: { method: 'GET', url: '/api/v1/reports/abc' }, field: /^params\.id/ },
  },
  resources: {
    forbidden: [
      { method: 'GET', url: '/api/v1/resources', role: 'agent' },
      { method: 'GET', url: '/api/v1/resources/host%3Anode-1', role: 'agent' },
    ],
    invalid: {
      request: { method: 'GET', url: '/api/v1/resources?family=ships' },
      field: /^querystring\.family/,
    },
  },
  score: {
    forbidden: [{ method: 'GET', url: '/api/v1/score', role: 'agent' }],
  },
};

describe('/api/v1 routes: access and input, before any service', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('sqlite');
  });
  afterAll(async () => t?.close());

  it.each(Object.entries(ROUTES))(
    '/api/v1/%s needs credentials and the right role, checked before the input',
    async (_name, checks) => {
      for (const call of checks.forbidden) {
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
    },
  );

  const withInvalid = Object.entries(ROUTES).flatMap(([name, c]) =>
    c.invalid ? [[name, c.invalid] as const] : [],
  );
  it.each(withInvalid)(
    '/api/v1/%s refuses invalid input with 400 naming the field',
    async (_name, invalid) => {
      const res = await t.app.inject({ ...invalid.request, headers: await t.auth('admin') } as never);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('BULKHEAD_ERR_VALIDATION');
      expect(res.json().error.message).toMatch(invalid.field);
    },
  );
});
