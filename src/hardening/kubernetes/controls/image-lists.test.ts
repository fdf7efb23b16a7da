import { describe, expect, it } from 'vitest';
import { evaluate } from '../evaluate.js';
import { loadObjects } from '../objects/load.js';
import { parametersSchema } from '../parameters/schema.js';

/** Status of `control` on a pod running `image` under `params`. */
function verdict(control: string, image: string, params: object): string {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'apps' },
    spec: { containers: [{ name: 'app', image }] },
  };
  const { objects } = loadObjects([{ name: 'pod.json', text: JSON.stringify(pod) }]);
  const [result] = evaluate(objects, { controls: [control], parameters: parametersSchema.parse(params) });
  return result ? `${result.status}${result.status === 'fail' ? `: ${result.message}` : ''}` : 'n/a';
}

describe('image allow and deny lists (K8S-IMG-01/02)', () => {
  it('allowedImages: one image spelled any way, or a glob over the normalised reference', () => {
    const allow = { allowedImages: ['nginx:1.25', 'ghcr.io/acme/*'] };
    expect(verdict('K8S-IMG-01', 'docker.io/library/nginx:1.25', allow)).toBe('pass');
    expect(verdict('K8S-IMG-01', 'index.docker.io/library/nginx:1.25', allow)).toBe('pass');
    expect(verdict('K8S-IMG-01', 'ghcr.io/acme/api@sha256:abc', allow)).toBe('pass');
    expect(verdict('K8S-IMG-01', 'nginx', allow)).toBe(
      'fail: container "app" image nginx is not an allowed image',
    );
    expect(verdict('K8S-IMG-01', 'ghcr.io/other/api:1', allow)).toMatch(/^fail/);
    expect(verdict('K8S-IMG-01', 'busybox', { allowedImages: ['docker.io/library/*'] })).toBe('pass');
    // without tag or digest an entry covers every tag of the repository; with one, only that tag
    expect(verdict('K8S-IMG-01', 'ghcr.io/acme/app:2.0', { allowedImages: ['ghcr.io/acme/app'] })).toBe(
      'pass',
    );
    expect(verdict('K8S-IMG-01', 'ghcr.io/acme/app@sha256:ab', { allowedImages: ['ghcr.io/acme/app'] })).toBe(
      'pass',
    );
    expect(
      verdict('K8S-IMG-01', 'ghcr.io/acme/app:2.0', { allowedImages: ['ghcr.io/acme/app:1.0'] }),
    ).toMatch(/^fail/);
    expect(verdict('K8S-IMG-01', 'localhost:5000/app:1', { allowedImages: ['localhost:5000/app'] })).toBe(
      'pass',
    );
  });

  it('deniedImages refuses the images named; other images pass', () => {
    const deny = { deniedImages: ['ghcr.io/acme/debug:*', 'busybox'] };
    expect(verdict('K8S-IMG-02', 'ghcr.io/acme/debug:1.0', deny)).toBe(
      'fail: container "app" image ghcr.io/acme/debug:1.0 is a forbidden image',
    );
    expect(verdict('K8S-IMG-02', 'docker.io/library/busybox:latest', deny)).toMatch(/^fail/);
    expect(verdict('K8S-IMG-02', 'busybox:1.36', deny)).toMatch(/^fail/); // no tag: every tag
    expect(verdict('K8S-IMG-02', 'busybox:1.36', { deniedImages: ['busybox:latest'] })).toBe('pass');
    expect(verdict('K8S-IMG-02', 'ghcr.io/acme/api:1', deny)).toBe('pass');
  });

  it('registry entries with * are globs over the registry host; others stay raw prefixes', () => {
    const hosts = { allowedRegistries: ['*.example.com'] };
    expect(verdict('K8S-IMG-01', 'registry.example.com/team/app:1', hosts)).toBe('pass');
    expect(verdict('K8S-IMG-01', 'evil.io/registry.example.com/app:1', hosts)).toMatch(/^fail/);
    expect(verdict('K8S-IMG-01', 'nginx', { allowedRegistries: ['*.io'] })).toBe('pass'); // docker.io
    expect(verdict('K8S-IMG-02', 'quay.io/x/y:1', { disallowedRegistries: ['*.io'] })).toMatch(/^fail/);
    // a raw prefix compares the image as written, as Gatekeeper's allowedrepos does
    expect(verdict('K8S-IMG-01', 'nginx', { allowedRegistries: ['docker.io/'] })).toMatch(/^fail/);
    expect(verdict('K8S-IMG-01', 'nginx', {})).toBe('n/a');
  });
});
