/**
 * End to end: a real Debian image (debootstrap minbase + a node_modules tree installed by npm), imported
 * into Docker, saved with `docker save`, copied to an OCI layout and pushed to a local registry with
 * skopeo. `bulkhead sbom` on every transport must list what dpkg-query and `npm ls` list.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusPath } from '../corpus.js';
import {
  type DebianNpmImage,
  debianNpmImage,
  dpkgQuery,
  npmLs,
  removeDockerImage,
} from '../fixtures/images.js';
import { type LocalRegistry, startRegistry } from '../fixtures/registry.js';
import { runBuiltCli } from './cli-support.js';

interface Pkg {
  name: string;
  version: string;
  type: string;
  purl: string;
  sourceName?: string;
  layer?: string;
}

let image: DebianNpmImage;
let registry: LocalRegistry;

beforeAll(async () => {
  image = debianNpmImage();
  registry = await startRegistry();
  registry.push(`docker-archive:${image.dockerArchive}`, 'bulkhead-test/debian-npm', 'e2e');
}, 600_000);

afterAll(async () => {
  await registry?.stop();
  if (image) removeDockerImage(image.tag);
});

async function sbom(target: string, extra: string[] = []) {
  const run = await runBuiltCli(['sbom', target, '--format', 'json', '--quiet', ...extra]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as {
    kind: string;
    artifact: { os?: { family: string; version: string } };
    packages: Pkg[];
  };
}

const set = (rows: { name: string; version: string }[]) =>
  [...new Set(rows.map((r) => `${r.name}@${r.version}`))].sort();

describe('bulkhead sbom on a real Debian + npm image', () => {
  const targets = () => [
    `docker-archive:${image.dockerArchive}`,
    `oci:${image.ociDir}:latest`,
    `docker-daemon:${image.tag}`,
    `docker://${registry.host}/bulkhead-test/debian-npm:e2e`,
  ];

  it('every transport gives the packages dpkg-query and npm ls give', async () => {
    const dpkg = dpkgQuery(image.rootfsTar);
    const npm = npmLs(image.appDir);
    expect(dpkg.length).toBeGreaterThan(50);
    expect(npm.length).toBeGreaterThan(20);
    const results = [];
    for (const target of targets()) {
      const doc = await sbom(target, target.startsWith('docker://') ? ['--insecure-registry'] : []);
      expect(doc.kind).toBe('PackageList');
      expect(doc.artifact.os).toMatchObject({ family: 'debian', version: '12' });
      const deb = doc.packages.filter((p) => p.type === 'deb');
      const node = doc.packages.filter((p) => p.type === 'npm');
      expect({ target, deb: set(deb) }).toEqual({ target, deb: set(dpkg) });
      expect({ target, npm: set(node) }).toEqual({ target, npm: set(npm) });
      // source packages as dpkg records them
      for (const row of dpkg.filter((r) => r.source))
        expect(deb.find((p) => p.name === row.name)?.sourceName).toBe(row.source);
      expect(doc.packages.length).toBe(deb.length + node.length);
      results.push(doc.packages);
    }
    // the same image through four transports: identical package lists, same layer attribution
    const strip = (pkgs: Pkg[]) => pkgs.map((p) => `${p.purl} ${p.layer}`);
    for (const r of results.slice(1)) expect(strip(r)).toEqual(strip(results[0]!));
    // base layer owns the deb packages, the second layer the npm tree
    const first = results[0]!;
    expect(new Set(first.filter((p) => p.type === 'deb').map((p) => p.layer)).size).toBe(1);
    expect(first.find((p) => p.type === 'deb')!.layer).not.toBe(first.find((p) => p.type === 'npm')!.layer);
  });

  it('writes CycloneDX 1.6 and SPDX 2.3 with a purl per package', async () => {
    const cdx = await runBuiltCli([
      'sbom',
      `docker-archive:${image.dockerArchive}`,
      '--format',
      'cyclonedx',
      '--quiet',
    ]);
    expect(cdx.code).toBe(0);
    const bom = JSON.parse(cdx.stdout);
    expect(bom).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6' });
    // the CycloneDX library's strict 1.6 JSON schema validation
    expect(await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(cdx.stdout)).toBeNull();
    const libs = bom.components.filter((c: { type: string }) => c.type === 'library');
    expect(libs.length).toBe(dpkgQuery(image.rootfsTar).length + npmLs(image.appDir).length);
    for (const c of libs) expect(c.purl).toMatch(/^pkg:(deb|npm)\//);
    const spdx = await runBuiltCli(['sbom', `oci:${image.ociDir}`, '--format', 'spdx', '--quiet']);
    expect(spdx.code).toBe(0);
    const doc = JSON.parse(spdx.stdout);
    expect(doc.spdxVersion).toBe('SPDX-2.3');
    const pkgs = doc.packages.filter((p: { SPDXID: string }) => p.SPDXID.startsWith('SPDXRef-Package-'));
    expect(pkgs.length).toBe(libs.length);
    expect(
      doc.relationships.filter((r: { relationshipType: string }) => r.relationshipType === 'CONTAINS').length,
    ).toBe(pkgs.length + 1);
  });

  it('--skip-dirs and --skip-files leave paths out of the SBOM', async () => {
    const gomod = corpusPath('images/peer-cases/trivy/integration/testdata/fixtures/repo/gomod');
    const paths = async (...flags: string[]) => {
      const run = await runBuiltCli(['--format', 'json', 'sbom', `dir:${gomod}`, ...flags]);
      expect(run.code, run.stderr).toBe(0);
      return new Set((JSON.parse(run.stdout).packages as { path?: string }[]).map((p) => p.path));
    };
    expect(await paths()).toContain('/submod2/go.mod');
    const skipped = await paths('--skip-dirs', 'submod2', '--skip-files', 'submod/go.mod');
    expect([...skipped].filter((p) => p?.startsWith('/submod'))).toEqual([]);
    expect(skipped).toContain('/go.mod');
  });

  it('clear errors: unknown daemon image, missing archive, unreachable registry', async () => {
    const missing = await runBuiltCli(['sbom', 'docker-daemon:bulkhead-test/does-not-exist:1']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such image in the Docker daemon/);
    const noFile = await runBuiltCli(['sbom', 'docker-archive:/nonexistent/image.tar']);
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toMatch(/no such file/);
    const notFound = await runBuiltCli([
      'sbom',
      `docker://${registry.host}/bulkhead-test/nope:1`,
      '--insecure-registry',
    ]);
    expect(notFound.code).toBe(2);
    expect(notFound.stderr).toMatch(/not found in the registry \(HTTP 404\)/);
    // a registry that does not answer: one line naming it, exit 2
    const closed = createServer();
    const port = await new Promise<number>((r) =>
      closed.listen(0, '127.0.0.1', () => r((closed.address() as AddressInfo).port)),
    );
    await new Promise((r) => closed.close(r));
    const unreachable = await runBuiltCli([
      'sbom',
      `docker://127.0.0.1:${port}/x/y:1`,
      '--insecure-registry',
    ]);
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toBe(`bulkhead: 127.0.0.1:${port}: registry unreachable (ECONNREFUSED)\n`);
  });
});
