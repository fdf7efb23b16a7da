/**
 * End to end: a real Debian bookworm image with old npm packages (lodash 4.17.4, ms 0.7.0, moment 2.11.1),
 * pushed to a local registry and scanned through the built CLI against advisories imported from the corpus
 * (the legacy npm advisory set and Debian tracker entries). Expected findings come from the advisory files
 * themselves with node-semver and `dpkg --compare-versions` as oracles.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import semver from 'semver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rematch } from '../../src/scan/persist.js';
import { openStore } from '../../src/store/index.js';
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

const DEPS = { lodash: '4.17.4', ms: '0.7.0', moment: '2.11.1' };
const NSWG = corpusPath('vulndb', 'osv', 'npm', 'nodejs-security-wg', 'vuln', 'npm');
const TRACKER = corpusPath('vulndb', 'debian', 'vuln-list-debian', 'tracker', 'CVE');
const LOCAL_CVE = 'CVE-2099-0001';
const LOCAL_FIX = '2.36-9+deb12u999';

interface Finding {
  id: string;
  aliases: string[];
  package: { name: string; version: string; type: string; sourceName?: string };
  fixedVersion: string | null;
  status: string;
  severity: string;
  severitySource: string;
  remediation: string;
  layer?: string;
  layerInstruction?: string;
}
interface ScanDoc {
  kind: string;
  artifact: { digest?: string; os?: { family: string; version: string } };
  healthy: boolean;
  vulnerabilities: Finding[];
  suppressed: { id: string; package: string; by: string; reason: string }[];
}

let image: DebianNpmImage;
let registry: LocalRegistry;
let home: string;

beforeAll(async () => {
  image = debianNpmImage(DEPS);
  registry = await startRegistry();
  registry.push(`docker-archive:${image.dockerArchive}`, 'bulkhead-test/debian-npm-scan', 'e2e');
  home = mkdtempSync(join(tmpdir(), 'bulkhead-scan-e2e-'));
  // the corpus's Debian data predates the bookworm packages installed today; one tracker entry in the same
  // vuln-list-debian format names a bookworm glibc fix above every released version
  const local = join(home, 'tracker', 'CVE', '2099');
  mkdirSync(local, { recursive: true });
  writeFileSync(
    join(local, `${LOCAL_CVE}.json`),
    JSON.stringify({
      Header: { Original: LOCAL_CVE, ID: LOCAL_CVE },
      Annotations: [
        {
          Original: `[bookworm] - glibc ${LOCAL_FIX} (high)`,
          Type: 'package',
          Release: 'bookworm',
          Package: 'glibc',
          Kind: 'fixed',
          Version: LOCAL_FIX,
          Severity: 'high',
        },
      ],
    }),
  );
  const imported = await runBuiltCli([
    '--home',
    home,
    'db',
    'import',
    NSWG,
    TRACKER,
    join(home, 'tracker'),
    '--quiet',
  ]);
  expect(imported.code, imported.stderr).toBe(0);
}, 600_000);

afterAll(async () => {
  await registry?.stop();
  if (image) removeDockerImage(image.tag);
  if (home) rmSync(home, { recursive: true, force: true });
});

/** What the legacy npm advisories say about the installed tree, read straight from the advisory files. */
function expectedNpm(installed: { name: string; version: string }[]) {
  const out: { id: string; pkg: string; version: string; patched: string }[] = [];
  for (const file of readdirSync(NSWG).filter((f) => f.endsWith('.json'))) {
    const a = JSON.parse(readFileSync(join(NSWG, file), 'utf8'));
    for (const p of installed.filter((x) => x.name === a.module_name)) {
      if (!semver.satisfies(p.version, a.vulnerable_versions)) continue;
      if (a.patched_versions && semver.satisfies(p.version, a.patched_versions)) continue;
      out.push({
        id: a.cves?.[0] ?? `NSWG-ECO-${a.id}`,
        pkg: p.name,
        version: p.version,
        patched: a.patched_versions,
      });
    }
  }
  return out;
}

const dpkgLess = (a: string, b: string) => {
  try {
    execFileSync('dpkg', ['--compare-versions', a, 'lt', b]);
    return true;
  } catch {
    return false;
  }
};

describe('bulkhead image scan from a local registry', () => {
  let doc: ScanDoc;
  it('reports the npm findings the advisories give, with their fixed versions', async () => {
    const run = await runBuiltCli([
      '--home',
      home,
      'image',
      'scan',
      `docker://${registry.host}/bulkhead-test/debian-npm-scan:e2e`,
      '--insecure-registry',
      '--format',
      'json',
      '--quiet',
    ]);
    expect(run.code, run.stderr).toBe(0);
    doc = JSON.parse(run.stdout);
    expect(doc.kind).toBe('ImageScan');
    expect(doc.artifact.os).toMatchObject({ family: 'debian', version: '12' });
    // what the center files the image under, and what it re-matches without pulling
    const artifact = doc.artifact as unknown as Record<string, unknown>;
    const manifestDigest = artifact.manifestDigest as string;
    expect(manifestDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(artifact).toMatchObject({
      registry: registry.host,
      repository: 'bulkhead-test/debian-npm-scan',
      repoDigests: [`${registry.host}/bulkhead-test/debian-npm-scan@${manifestDigest}`],
    });
    const head = doc as unknown as Record<string, unknown>;
    expect(head).toMatchObject({
      engine: 'image-scan',
      origin: { registry: registry.host },
      complete: true,
      assessed: [{ type: 'image', id: manifestDigest, name: head.target }],
    });
    expect((head.packages as { type: string }[]).some((p) => p.type === 'deb')).toBe(true);
    const npm = doc.vulnerabilities.filter((f) => f.package.type === 'npm');
    const expected = expectedNpm(npmLs(image.appDir));
    expect(expected.length).toBeGreaterThanOrEqual(4);
    expect(npm.map((f) => `${f.id} ${f.package.name}@${f.package.version}`).sort()).toEqual(
      expected.map((e) => `${e.id} ${e.pkg}@${e.version}`).sort(),
    );
    for (const f of npm) {
      const e = expected.find((x) => x.id === f.id && x.pkg === f.package.name)!;
      expect(f.status).toBe('fixed');
      // the fixed version is the lowest one the advisory calls patched
      expect(semver.satisfies(f.fixedVersion!, e.patched), `${f.id} ${f.fixedVersion} ${e.patched}`).toBe(
        true,
      );
      // the layer and the Dockerfile instruction (image history) that brought the package in
      expect(f.layer).toMatch(/^sha256:/);
      expect(f.layerInstruction).toMatch(/^COPY .* in \/app$/);
      expect(f.remediation).toBe(
        `upgrade ${f.package.name} ${f.package.version} → ${f.fixedVersion}; added by \`${f.layerInstruction}\``,
      );
    }
    expect(npm.find((f) => f.package.name === 'lodash' && f.id === 'CVE-2018-16487')?.fixedVersion).toBe(
      '4.17.11',
    );
  });

  it('matches the Debian packages through their source packages, in their release only', () => {
    const dpkg = dpkgQuery(image.rootfsTar);
    const sourceOf = (p: { name: string; source?: string }) => (p.source ?? p.name).split(' ')[0];
    // every binary package built from glibc is reported, with Debian's urgency and the source in the remediation
    const glibc = dpkg.filter((p) => sourceOf(p) === 'glibc');
    expect(glibc.length).toBeGreaterThan(0);
    const local = doc.vulnerabilities.filter((f) => f.id === LOCAL_CVE);
    expect(local.map((f) => f.package.name).sort()).toEqual(glibc.map((p) => p.name).sort());
    for (const f of local) {
      expect(dpkgLess(f.package.version, LOCAL_FIX)).toBe(true);
      expect(f).toMatchObject({
        fixedVersion: LOCAL_FIX,
        status: 'fixed',
        severity: 'HIGH',
        severitySource: 'debian',
      });
      expect(f.remediation).toBe(
        `upgrade ${f.package.name} ${f.package.version} → ${LOCAL_FIX} (source glibc)`,
      );
    }
    // the corpus tracker entries: CVE-2024-3094 (xz-utils) is not-affected in bookworm and fixed in sid above
    // bookworm's version; CVE-2023-4911 (glibc) is unfixed in sid only: neither applies to bookworm
    expect(dpkg.some((p) => sourceOf(p) === 'xz-utils' && dpkgLess(p.version, '5.6.1+really5.4.5-1'))).toBe(
      true,
    );
    expect(doc.vulnerabilities.filter((f) => f.id === 'CVE-2024-3094' || f.id === 'CVE-2023-4911')).toEqual(
      [],
    );
    expect(doc.vulnerabilities.filter((f) => f.package.type === 'deb').map((f) => f.id)).toEqual(
      local.map(() => LOCAL_CVE),
    );
  });

  it('stores the scan; rematch re-reads the stored packages without the image', async () => {
    expect(doc.artifact.digest).toMatch(/^sha256:/);
    const store = await openStore({ home });
    try {
      const again = await rematch(store.db, doc.artifact.digest!, { store: false });
      expect(again?.result.vulnerabilities.map((f) => `${f.id} ${f.package.name}`).sort()).toEqual(
        doc.vulnerabilities.map((f) => `${f.id} ${f.package.name}`).sort(),
      );
    } finally {
      await store.close();
    }
  });
});
