import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { type FakeApiServer, startFakeApiServer } from '../../src/hardening/kubernetes/live/test-support.js';
import {
  type KubernetesScanOutcome,
  scanKubernetes,
} from '../../src/hardening/kubernetes/scan-kubernetes.js';
import { corpusPath } from '../corpus.js';

const realWorld = corpusPath('manifests', 'real-world');
const dir = mkdtempSync(join(tmpdir(), 'bulkhead-k8s-entry-'));
const quiet = { writeOut: () => {}, writeErr: () => {} };
const withoutTime = ({ generatedAt: _, ...rest }: { generatedAt?: string }) => rest;

describe('scanKubernetes on the real-world manifests', () => {
  let outcome: KubernetesScanOutcome;

  beforeAll(async () => {
    outcome = await scanKubernetes({ paths: [realWorld], clusterName: 'corpus' });
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the document `k8s scan --format json` prints', async () => {
    const out = join(dir, 'scan.json');
    const code = await runCli(
      [
        'k8s',
        'scan',
        realWorld,
        '--cluster-name',
        'corpus',
        '--no-store',
        '--quiet',
        '--format',
        'json',
      ].concat(['--output', out]),
      quiet,
    );
    expect(code).toBe(0);
    expect(withoutTime(JSON.parse(readFileSync(out, 'utf8')))).toEqual(
      withoutTime(JSON.parse(JSON.stringify(outcome.document))),
    );
    expect(outcome.gate).toEqual({ exitCode: 0 });
  }, 120_000);

  it('says what it assessed, for which cluster, and that files are never a whole cluster', () => {
    const doc = outcome.document as { engine: string; origin: object; complete: boolean; assessed: object[] };
    expect(doc.engine).toBe('k8s-scan');
    expect(doc.origin).toEqual({ cluster: 'corpus' });
    expect(doc.complete).toBe(false);
    expect(doc.assessed).toContainEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'ingress-nginx',
      name: 'ingress-nginx-controller',
    });
    const keys = doc.assessed.map((a) => JSON.stringify(a));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('lists namespaces (declared or only referenced), workloads with their images, once each', () => {
    const inv = outcome.inventory;
    expect(inv).toMatchObject({
      kind: 'ClusterInventory',
      engine: 'k8s-scan',
      origin: { cluster: 'corpus' },
    });
    expect(inv.complete).toBe(false);
    const names = inv.namespaces.map((n) => n.name);
    expect(names).toEqual(expect.arrayContaining(['ingress-nginx', 'monitoring', 'kube-system']));
    // declared by a Namespace object: labels kept; referenced only: the name alone
    expect(inv.namespaces.find((n) => n.name === 'ingress-nginx')?.labels).toMatchObject({
      'app.kubernetes.io/name': 'ingress-nginx',
    });
    expect(inv.namespaces.find((n) => n.name === 'monitoring')).toEqual({ name: 'monitoring' });
    const controller = inv.workloads.find(
      (w) =>
        w.kind === 'Deployment' && w.namespace === 'ingress-nginx' && w.name === 'ingress-nginx-controller',
    );
    expect(controller?.images).toEqual([
      expect.stringMatching(/^registry\.k8s\.io\/ingress-nginx\/controller:/),
    ]);
    expect(new Set(inv.workloads.map((w) => w.kind))).toEqual(
      new Set(['DaemonSet', 'Deployment', 'Job', 'StatefulSet']),
    );
    const keys = inv.workloads.map((w) => `${w.kind}/${w.namespace}/${w.name}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(inv.pods).toEqual([]);
  });
});

describe('ClusterInventory pods', () => {
  it('reads owner, node, phase and each container image digest from a pod', async () => {
    const { clusterInventoryDocument } = await import('../../src/hardening/kubernetes/cluster-inventory.js');
    const digest = `sha256:${'a'.repeat(64)}`;
    const inv = clusterInventoryDocument({
      objects: [
        {
          source: { file: 'cluster:/api/v1/pods' },
          object: {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: {
              name: 'web-1',
              namespace: 'shop',
              uid: 'p-1',
              ownerReferences: [{ kind: 'ReplicaSet', name: 'web-6d', controller: true }],
            },
            spec: { nodeName: 'n1', containers: [{ name: 'app', image: 'nginx:1.27' }] },
            status: {
              phase: 'Running',
              containerStatuses: [{ name: 'app', imageID: `docker.io/library/nginx@${digest}` }],
            },
          },
        },
      ],
      cluster: { name: 'kind-kind', uid: 'ks-uid' },
      origin: 'ks-uid',
      complete: true,
    });
    expect(inv.namespaces).toEqual([{ name: 'shop' }]);
    expect(inv.pods).toEqual([
      {
        namespace: 'shop',
        name: 'web-1',
        uid: 'p-1',
        owner: { kind: 'ReplicaSet', name: 'web-6d' },
        node: 'n1',
        phase: 'Running',
        containers: [
          { name: 'app', image: 'nginx:1.27', imageID: `docker.io/library/nginx@${digest}`, digest },
        ],
      },
    ]);
  });
});

describe('scanKubernetes on a live cluster', () => {
  let server: FakeApiServer;
  const home = mkdtempSync(join(tmpdir(), 'bulkhead-k8s-live-'));

  beforeAll(async () => {
    server = await startFakeApiServer([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system', uid: 'ks-uid-1' } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', uid: 'ns-2', labels: { team: 'a' } } },
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: 'web-6d',
          namespace: 'shop',
          uid: 'rs-1',
          ownerReferences: [{ kind: 'Deployment', name: 'web', controller: true }],
        },
        spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } } },
      },
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: 'web-6d-x',
          namespace: 'shop',
          ownerReferences: [{ kind: 'ReplicaSet', name: 'web-6d', controller: true }],
        },
        spec: { nodeName: 'n1', containers: [{ name: 'app', image: 'nginx:1.27' }] },
        status: { phase: 'Running' },
      },
    ]);
  });
  afterAll(async () => {
    await server.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('names the cluster by the kube-system UID, is complete without filters, and lists owned objects too', async () => {
    const kubeconfig = server.kubeconfig(home);
    const whole = await scanKubernetes({ cluster: true, kubeconfig, context: 'test' });
    expect(whole.document).toMatchObject({ origin: { cluster: 'ks-uid-1' }, complete: true });
    expect(whole.inventory).toMatchObject({
      origin: { cluster: 'ks-uid-1' },
      complete: true,
      cluster: { name: 'test', uid: 'ks-uid-1', version: 'v1.31.4' },
    });
    expect(whole.inventory.namespaces).toEqual([
      { name: 'kube-system', uid: 'ks-uid-1' },
      { name: 'shop', uid: 'ns-2', labels: { team: 'a' } },
    ]);
    expect(whole.inventory.workloads).toEqual([
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        namespace: 'shop',
        name: 'web-6d',
        uid: 'rs-1',
        images: ['nginx:1.27'],
      },
    ]);
    expect(whole.inventory.pods).toEqual([
      {
        namespace: 'shop',
        name: 'web-6d-x',
        owner: { kind: 'ReplicaSet', name: 'web-6d' },
        node: 'n1',
        phase: 'Running',
        containers: [{ name: 'app', image: 'nginx:1.27' }],
      },
    ]);
    const part = await scanKubernetes({
      cluster: true,
      kubeconfig,
      context: 'test',
      includeNamespaces: ['shop'],
      clusterName: 'prod',
    });
    expect(part.document).toMatchObject({ origin: { cluster: 'prod' }, complete: false });
    expect(part.inventory.namespaces.map((n) => n.name)).toEqual(['shop']);
  });
});
