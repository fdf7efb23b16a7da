import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdmissionApp, buildAdmissionApp } from './app.js';
import { loadAdmissionPolicy } from './policy-load.js';
import { pod, privilegedPod, reviewBody } from './test-support.js';

describe('buildAdmissionApp (no listening, inject())', () => {
  let built: AdmissionApp;
  const decisions: boolean[] = [];

  beforeAll(async () => {
    built = buildAdmissionApp({
      policy: loadAdmissionPolicy(undefined),
      onDecision: (d) => decisions.push(d.allowed),
    });
    await built.app.ready();
  });
  afterAll(async () => {
    await built.app.close();
  });

  it('denies a privileged pod and allows a plain one, echoing the uid', async () => {
    const denied = await built.app.inject({
      method: 'POST',
      url: '/validate',
      headers: { 'content-type': 'application/json' },
      payload: reviewBody({ uid: 'u-1', object: privilegedPod() }),
    });
    expect(denied.statusCode).toBe(200);
    expect(denied.json().response).toMatchObject({ uid: 'u-1', allowed: false });
    const allowed = await built.app.inject({
      method: 'POST',
      url: '/validate',
      headers: { 'content-type': 'application/json' },
      payload: reviewBody({
        uid: 'u-2',
        object: pod('ok', {
          securityContext: {
            allowPrivilegeEscalation: false,
            runAsNonRoot: true,
            capabilities: { drop: ['ALL'] },
          },
        }),
      }),
    });
    expect(allowed.json().response).toMatchObject({ uid: 'u-2', allowed: true });
    expect(decisions).toEqual([false, true]);
  });

  it('answers a body that is not an AdmissionReview with 400 and counts it', async () => {
    const res = await built.app.inject({
      method: 'POST',
      url: '/validate',
      headers: { 'content-type': 'application/json' },
      payload: '{"kind":"Nope"}',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/^bad request: /);
    expect(built.metrics.text()).toMatch(/malformed/);
  });

  it('is not ready until told, then ready', async () => {
    expect((await built.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(503);
    built.setReady(true);
    expect((await built.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    expect((await built.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
  });
});
