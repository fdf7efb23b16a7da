import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

const client = vi.hoisted(() => ({ loaded: false }));
vi.mock('@kubernetes/client-node', async (original) => {
  client.loaded = true;
  return original();
});

const { loadScope } = await import('./load-scope.js');

const dir = mkdtempSync(join(tmpdir(), 'bulkhead-scope-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadScope', () => {
  it('loads the Kubernetes client for a cluster only, never for manifests', async () => {
    const file = join(dir, 'pod.yaml');
    writeFileSync(
      file,
      'apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec: {containers: [{name: c}]}\n',
    );
    const scope = await loadScope({ paths: [file] }, 'k8s scan');
    expect(scope.objects.map((o) => o.object.metadata.name)).toEqual(['web']);
    expect(client.loaded).toBe(false);
    const missing = join(dir, 'no-kubeconfig');
    await expect(loadScope({ cluster: true, kubeconfig: missing }, 'k8s scan')).rejects.toThrow(
      'cannot load kubeconfig',
    );
    expect(client.loaded).toBe(true);
  });
});
