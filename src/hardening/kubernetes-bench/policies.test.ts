import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeApiServer, startFakeApiServer } from '../kubernetes/live/test-support.js';
import type { KubeObject } from '../kubernetes/objects/types.js';
import { runKubernetesBenchmark } from './run-benchmark.js';

const pod = (name: string, hardened: boolean): KubeObject =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'shop', uid: `uid-${name}` },
    spec: {
      hostPID: !hardened,
      hostNetwork: !hardened,
      containers: [
        {
          name: 'app',
          image: 'registry.example/app@sha256:' + 'a'.repeat(64),
          securityContext: hardened
            ? { allowPrivilegeEscalation: false, privileged: false, capabilities: { drop: ['ALL'] } }
            : { privileged: true },
        },
      ],
    },
  }) as unknown as KubeObject;

const dir = mkdtempSync(join(tmpdir(), 'bulkhead-kbench-policies-'));
let insecure: FakeApiServer;
let hardened: FakeApiServer;
beforeAll(async () => {
  mkdirSync(join(dir, 'etc'));
  insecure = await startFakeApiServer([pod('web', false)]);
  hardened = await startFakeApiServer([pod('web', true)]);
});
afterAll(async () => {
  await insecure.close();
  await hardened.close();
  rmSync(dir, { recursive: true, force: true });
});

const statuses = async (server: FakeApiServer) =>
  new Map(
    (
      await runKubernetesBenchmark({ root: dir, kubeconfig: server.kubeconfig(dir), checks: ['5.2'] })
    ).results.map((r) => [r.id, r]),
  );

describe('section 5 on the cluster through the posture engine', () => {
  it('judges the policies rows from the live objects: failing rows warn, a hardened cluster passes them', async () => {
    const bad = await statuses(insecure);
    expect(bad.get('5.2.2')).toMatchObject({ status: 'warn', target: 'policies' });
    expect(bad.get('5.2.2')!.resources.map((r) => r.id)).toEqual(['shop/Pod/web']);
    expect(bad.get('5.2.3')!.status).toBe('warn');
    expect(bad.get('5.2.5')!.status).toBe('warn');
    const good = await statuses(hardened);
    for (const id of ['5.2.2', '5.2.3', '5.2.5', '5.2.6']) expect(good.get(id)!.status).toBe('pass');
  });

  it('is left out without --kubeconfig, and an unreachable cluster is an error, never a pass', async () => {
    const none = await runKubernetesBenchmark({ root: dir });
    expect(none.targets).toEqual([]);
    const down = await runKubernetesBenchmark({
      root: dir,
      targets: ['policies'],
      kubeconfig: join(dir, 'missing-kubeconfig'),
      checks: ['5.2.2'],
    });
    expect(down.results[0]).toMatchObject({ id: '5.2.2', status: 'error' });
  });
});
