import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../test/corpus.js';
import { catalogImage } from './catalog.js';
import { apk } from './catalogers/apk.js';
import { bunLock } from './catalogers/bun-lock.js';
import { cargo } from './catalogers/cargo.js';
import { composer } from './catalogers/composer.js';
import { dotnet } from './catalogers/dotnet.js';
import { mixLock } from './catalogers/mix-lock.js';
import { lockOptions, npmLock } from './catalogers/npm-lock.js';
import { pnpmLock } from './catalogers/pnpm-lock.js';
import { pythonLock } from './catalogers/python-lock.js';
import { swift } from './catalogers/swift.js';
import { yarnLock } from './catalogers/yarn-lock.js';
import { catalogFiles } from './test-support/view.js';
import type { Cataloger } from './types.js';

const TRIVY = ['images', 'peer-cases', 'trivy'];

interface GoldenPkg {
  Name: string;
  Version: string;
  Release?: string;
  Epoch?: number;
  SrcName?: string;
  SrcVersion?: string;
  SrcRelease?: string;
  SrcEpoch?: number;
  Relationship?: string;
  Identifier?: { PURL?: string };
}

function goldenPackages(name: string): GoldenPkg[] {
  const doc = JSON.parse(readFileSync(corpusPath(...TRIVY, 'integration', 'testdata', name), 'utf8'));
  return doc.Results.flatMap((r: { Packages?: GoldenPkg[] }) => r.Packages ?? []);
}

/** Trivy `fs` cases with `listAllPkgs`: the lock file input must give the golden's package set. */
const FS_CASES: { golden: string; dir: string; catalogers: Cataloger[]; includeDev?: boolean }[] = [
  { golden: 'npm.json.golden', dir: 'npm', catalogers: [npmLock] },
  { golden: 'npm-with-dev.json.golden', dir: 'npm', catalogers: [npmLock], includeDev: true },
  { golden: 'yarn.json.golden', dir: 'yarn', catalogers: [yarnLock] },
  { golden: 'pnpm.json.golden', dir: 'pnpm', catalogers: [pnpmLock] },
  { golden: 'pipenv.json.golden', dir: 'pipenv', catalogers: [pythonLock] },
  { golden: 'uv.json.golden', dir: 'uv', catalogers: [pythonLock] },
  { golden: 'pylock.json.golden', dir: 'pylock', catalogers: [pythonLock] },
  { golden: 'composer.lock.json.golden', dir: 'composer', catalogers: [composer] },
  { golden: 'composer.vendor.json.golden', dir: 'composer-vendor', catalogers: [composer] },
  { golden: 'cargo.lock.json.golden', dir: 'cargo', catalogers: [cargo] },
  { golden: 'bun.json.golden', dir: 'bun', catalogers: [bunLock] },
  { golden: 'packagesprops.json.golden', dir: 'packagesprops', catalogers: [dotnet] },
  { golden: 'swift.json.golden', dir: 'swift', catalogers: [swift] },
  { golden: 'mix.lock.json.golden', dir: 'mixlock', catalogers: [mixLock] },
];

/** name, version, purl; the project itself (Trivy's `root`) is not a dependency and is left out. */
function triples(pkgs: { name: string; version: string; purl?: string }[], roots: Set<string>): string[] {
  return [
    ...new Set(pkgs.filter((p) => !roots.has(p.name)).map((p) => `${p.name}@${p.version} ${p.purl ?? ''}`)),
  ].sort();
}

describe('Trivy fs goldens (lock files)', () => {
  it.each(FS_CASES)('$golden', async ({ golden, dir, catalogers, includeDev }) => {
    const expected = goldenPackages(golden);
    const roots = new Set(expected.filter((p) => p.Relationship === 'root').map((p) => p.Name));
    lockOptions.includeDev = includeDev === true;
    try {
      const result = await catalogImage(
        `dir:${corpusPath(...TRIVY, 'integration/testdata/fixtures/repo', dir)}`,
        {
          catalogers,
        },
      );
      expect(triples(result.packages, roots)).toEqual(
        triples(
          expected.map((p) => ({ name: p.Name, version: p.Version, purl: p.Identifier?.PURL })),
          roots,
        ),
      );
    } finally {
      lockOptions.includeDev = false;
    }
  });
});

describe('Trivy package goldens (OS databases)', () => {
  it('alpine 3.10: package names and origins of the golden (the corpus DB is a later 3.10 build)', () => {
    const dir = corpusPath('images/trivy/alpine-310');
    const got = catalogFiles({ 'lib/apk/db/installed': readFileSync(join(dir, 'lib/apk/db/installed')) }, [
      apk,
    ]);
    const golden = JSON.parse(
      readFileSync(
        corpusPath(...TRIVY, 'pkg/fanal/test/integration/testdata/goldens/packages/alpine-310.json.golden'),
        'utf8',
      ),
    ) as GoldenPkg[];
    expect(got.map((p) => `${p.name} ${p.sourceName}`).sort()).toEqual(
      golden.map((p) => `${p.Name} ${p.SrcName}`).sort(),
    );
  });
});

interface GoldenVuln {
  PkgName: string;
  InstalledVersion: string;
  PkgIdentifier?: { PURL?: string };
}

/**
 * Trivy `fs` cases without `listAllPkgs` only show the vulnerable packages: each of them must be among
 * the packages found in the same file (the scanner can only match what the catalog lists).
 */
describe('Trivy fs goldens (vulnerable packages are found)', () => {
  it.each([
    ['gomod-vex.json.golden', 'gomod'],
    ['gomod-skip.json.golden', 'gomod'],
    ['gradle.json.golden', 'gradle'],
    ['pom.json.golden', 'pom'],
  ])('%s', async (golden, dir) => {
    const doc = JSON.parse(readFileSync(corpusPath(...TRIVY, 'integration', 'testdata', golden), 'utf8'));
    const result = await catalogImage(
      `dir:${corpusPath(...TRIVY, 'integration/testdata/fixtures/repo', dir)}`,
    );
    let checked = 0;
    for (const r of doc.Results as { Target: string; Vulnerabilities?: GoldenVuln[] }[]) {
      const here = result.packages
        .filter((p) => p.path === `/${r.Target}`)
        .map((p) => `${p.name}@${p.version} ${p.purl}`);
      for (const v of r.Vulnerabilities ?? []) {
        expect(here).toContain(`${v.PkgName}@${v.InstalledVersion} ${v.PkgIdentifier?.PURL}`);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });
});

describe('the project itself', () => {
  it('each go.mod `module` is an own component of the artifact (a VEX product), never a package', async () => {
    const result = await catalogImage(
      `dir:${corpusPath(...TRIVY, 'integration/testdata/fixtures/repo/gomod')}`,
    );
    expect(result.artifact.components).toEqual([
      'pkg:golang/github.com/testdata/testdata',
      'pkg:golang/github.com/testdata/testdata/submod',
      'pkg:golang/github.com/testdata/testdata/submod2',
    ]);
    expect(result.packages.filter((p) => p.name.startsWith('github.com/testdata/'))).toEqual([]);
  });
});
