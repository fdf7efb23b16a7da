import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusPath } from '../../../../test/corpus.js';
import { evaluate } from '../evaluate.js';
import { walk } from '../objects/files.js';
import { loadObjects } from '../objects/load.js';
import type { KubeObject } from '../objects/types.js';
import { listClusterObjects } from './cluster.js';
import { type FakeApiServer, startFakeApiServer } from './test-support.js';

let server: FakeApiServer;
let corpus: KubeObject[];
const dir = mkdtempSync(join(tmpdir(), 'bulkhead-k8s-live-'));

beforeAll(async () => {
  const files = [
    ...walk(corpusPath('manifests', 'kubernetes-goat')),
    ...walk(corpusPath('manifests', 'real-world', 'argo-cd')),
  ];
  corpus = loadObjects(files.map((f) => ({ name: f, text: readFileSync(f, 'utf8') }))).objects.map(
    (o) => o.object,
  );
  server = await startFakeApiServer(corpus);
});
afterAll(() => server.close());

describe('listClusterObjects', () => {
  it('lists every object through the real list endpoints, following continue tokens', async () => {
    const live = await listClusterObjects({ kubeconfig: server.kubeconfig(dir), pageSize: 3 });
    const kinds = (objs: KubeObject[]) => objs.map((o) => o.kind).sort();
    const served = corpus.filter((o) => live.objects.some((l) => l.object.kind === o.kind));
    expect(
      kinds([...live.objects, ...live.context].map((o) => o.object).filter((o) => o.kind !== 'Cluster')),
    ).toEqual(kinds(served));
    expect(server.requests.some((r) => r.includes('continue=3'))).toBe(true);
    expect(server.requests.every((r) => r === '/version' || r.includes('limit=3'))).toBe(true);
    expect(live.cluster.version).toBe('v1.31.4');
    expect(live.objects.find((o) => o.object.kind === 'Cluster')?.object.status).toMatchObject({
      version: 'v1.31.4',
    });
  });

  it('computes the RBAC graph and workload findings from the live inventory', async () => {
    const live = await listClusterObjects({ kubeconfig: server.kubeconfig(dir) });
    const results = evaluate(live.objects, { context: live.context });
    const failing = new Set(results.filter((r) => r.status === 'fail').map((r) => r.control));
    for (const id of ['K8S-POD-01', 'K8S-POD-08', 'K8S-RBAC-01', 'K8S-RBAC-03', 'K8S-SA-08', 'K8S-SA-09'])
      expect(failing, id).toContain(id);
  });

  it('refuses bad credentials with a user error, and an unknown context', async () => {
    await expect(listClusterObjects({ kubeconfig: server.kubeconfig(dir, 'wrong') })).rejects.toThrow(
      /refused the credentials/,
    );
    await expect(listClusterObjects({ kubeconfig: server.kubeconfig(dir), context: 'nope' })).rejects.toThrow(
      /no context "nope"/,
    );
  });
});
