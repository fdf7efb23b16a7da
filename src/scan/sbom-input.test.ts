import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../test/corpus.js';
import { isUserInputError } from '../core/errors.js';
import type { CatalogResult } from '../sbom/catalog.js';
import { toCycloneDx } from '../sbom/cyclonedx.js';
import { toSpdx } from '../sbom/spdx.js';
import { packageFromPurl, parseSbom } from './sbom-input.js';
import { deb, npmPkg } from './test-support.js';

const catalog: CatalogResult = {
  artifact: {
    name: 'app',
    transport: 'docker-archive',
    digest: 'sha256:1',
    os: { family: 'debian', version: '10', fullVersion: '10.1' },
  },
  packages: [
    deb('libssl1.1', '1.1.1d-0+deb10u2', 'openssl', '1.1.1d-0+deb10u2'),
    npmPkg('lodash', '4.17.11'),
  ],
  skipped: [],
  detectionPriority: 'precise',
  osOwned: 0,
};

describe('SBOM input', () => {
  it('reads back Bulkhead CycloneDX with source packages, layers and the OS', () => {
    const r = parseSbom(JSON.stringify(toCycloneDx(catalog)), 'app.cdx.json');
    expect(r.os).toMatchObject({ family: 'debian', version: '10' });
    const ssl = r.packages.find((p) => p.name === 'libssl1.1');
    expect(ssl).toMatchObject({
      version: '1.1.1d-0+deb10u2',
      type: 'deb',
      sourceName: 'openssl',
      layer: 'sha256:base',
    });
    expect(r.packages.find((p) => p.name === 'lodash')).toMatchObject({ version: '4.17.11', type: 'npm' });
  });

  it('reads SPDX JSON (OS from the distro qualifier when no OS package)', () => {
    const r = parseSbom(JSON.stringify(toSpdx(catalog)), 'app.spdx.json');
    expect(r.packages.map((p) => p.name).sort()).toEqual(['libssl1.1', 'lodash']);
    expect(r.os?.family).toBe('debian');
  });

  it('purls: epochs back into versions, Maven group:artifact, scoped npm names, unknown types dropped', () => {
    expect(packageFromPurl('pkg:rpm/centos/openssl-libs@1.0.2k-16.el7?arch=x86_64&epoch=1')?.version).toBe(
      '1:1.0.2k-16.el7',
    );
    expect(packageFromPurl('pkg:maven/org.apache/commons-text@1.9')?.name).toBe('org.apache:commons-text');
    expect(packageFromPurl('pkg:npm/%40babel/core@7.0.0')?.name).toBe('@babel/core');
    expect(packageFromPurl('pkg:k8s/k8s.io%2Fkubelet@1.24.0')).toMatchObject({
      name: 'k8s.io/kubelet',
      type: 'k8s',
    });
    expect(packageFromPurl('pkg:swift/github.com/apple/swift-nio@2.41.0')?.name).toBe(
      'github.com/apple/swift-nio',
    );
    expect(
      packageFromPurl('pkg:oci/etcd@sha256:51eae838?repository_url=registry.k8s.io%2Fetcd'),
    ).toBeUndefined();
    expect(packageFromPurl('not a purl')).toBeUndefined();
  });

  it("reads a KBOM: the node OS, Kubernetes components as k8s packages, the cluster as the document's subject", () => {
    const kbom = readFileSync(
      corpusPath('images', 'peer-cases', 'trivy', 'integration/testdata/fixtures/sbom/minikube-kbom.json'),
      'utf8',
    );
    const r = parseSbom(kbom, 'minikube-kbom.json');
    expect(r.os).toEqual({ family: 'ubuntu', version: '22.04', fullVersion: '22.04.2' });
    expect(r.components).toEqual(['pkg:k8s/k8s.io%2Fkubernetes@1.27.0']);
    expect(r.packages.map((p) => `${p.type} ${p.name}@${p.version}`).sort()).toEqual([
      'golang docker@24.0.4',
      'k8s k8s.io/apiserver@1.27.0',
      'k8s k8s.io/controller-manager@1.27.0',
      'k8s k8s.io/kube-proxy@1.27.0',
      'k8s k8s.io/kube-scheduler@1.27.0',
      'k8s k8s.io/kubelet@1.27.0',
      'k8s k8s.io/kubernetes@1.27.0',
    ]);
  });

  it('refuses what is not an SBOM, naming the file', () => {
    for (const text of ['{"hello": 1}', '{"bomFormat": "CycloneDX"', '']) {
      let error: unknown;
      try {
        parseSbom(text, 'in.json');
      } catch (e) {
        error = e;
      }
      expect(isUserInputError(error)).toBe(true);
      expect(String((error as Error).message)).toContain('in.json');
    }
  });
});
