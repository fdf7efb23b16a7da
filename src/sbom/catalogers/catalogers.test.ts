import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { corpusPath } from '../../../test/corpus.js';
import { goBinary as buildGoBinary } from '../../../test/fixtures/go-binary.js';
import { OS_PACKAGE_TYPES } from '../../core/results.js';
import { catalogFiles, keys } from '../test-support/view.js';
import { CATALOGER_KINDS, PURL_TYPES } from '../types.js';
import { goBuildInfoProbe } from './go-binary.js';
import { CATALOGERS } from './index.js';
import { lockOptions } from './npm-lock.js';

const by = (name: string) => CATALOGERS.filter((c) => c.name === name);
const C = (...p: string[]) => readFileSync(corpusPath('images', ...p));

describe('cataloger registry', () => {
  it('registers every file of the folder once, with unique names and the cataloger shape (kind and version on each)', () => {
    const files = readdirSync(new URL('./', import.meta.url)).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'index.ts',
    );
    const kebab = (s: string) => s.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`);
    expect(CATALOGERS.map((c) => `${c.name}.ts`).sort()).toEqual(files.sort());
    expect(new Set(CATALOGERS.map((c) => c.name)).size).toBe(CATALOGERS.length);
    const shape = z.object({
      name: z.string().regex(/^[a-z][a-z0-9-]*$/),
      kind: z.enum(CATALOGER_KINDS),
      version: z.number().int().positive(),
      type: z.enum(PURL_TYPES),
      wants: z.function(),
      parse: z.function(),
    });
    for (const c of CATALOGERS) expect(shape.safeParse(c).success, kebab(c.name)).toBe(true);
  });

  it('gives the distribution package databases kind os, and only them', () => {
    expect(
      CATALOGERS.filter((c) => c.kind === 'os')
        .map((c) => c.type)
        .sort(),
    ).toEqual([...OS_PACKAGE_TYPES].sort());
  });
});

describe('npm', () => {
  it('installed node_modules, scoped names get a purl namespace, pnpm store layout', () => {
    const pkgs = catalogFiles(
      {
        'app/node_modules/@types/node/package.json': JSON.stringify({
          name: '@types/node',
          version: '20.1.0',
          license: 'MIT',
        }),
        'app/node_modules/.pnpm/lodash@4.17.4/node_modules/lodash/package.json': C(
          'peer-cases/trivy/integration/testdata/fixtures/repo/pnpm/node_modules/.pnpm/lodash@4.17.4/node_modules/lodash/package.json',
        ),
        'app/node_modules/broken/package.json': '{ not json',
        'app/package.json': JSON.stringify({ name: 'app', version: '1.0.0' }),
      },
      by('npm-installed'),
    );
    expect(pkgs.map((p) => p.purl)).toEqual(['pkg:npm/%40types/node@20.1.0', 'pkg:npm/lodash@4.17.4']);
    expect(pkgs[0]!.licenses).toEqual(['MIT']);
  });

  it('package-lock v1 and v2/v3, yarn classic and berry, pnpm v5–v9', () => {
    const lock = (p: string) =>
      catalogFiles(
        { [`x/${p.split('/').pop()}`]: C('syft/syft/pkg/cataloger/javascript/testdata', p) },
        CATALOGERS,
      );
    const v2 = lock('pkg-lock/package-lock.json');
    expect(v2.length).toBeGreaterThan(0);
    expect(keys(v2)).toContain('cowsay@1.4.0');
    const berry = lock('yarn-berry/yarn.lock');
    expect(keys(berry)).toContain('@babel/code-frame@7.10.4');
    expect(berry.every((p) => !p.name.includes('@workspace'))).toBe(true);
    // the v5.4 sample is a dev-tool project: every package is `dev: true`, left out unless asked for
    expect(lock('pnpm/pnpm-lock.yaml')).toEqual([]);
    lockOptions.includeDev = true;
    try {
      for (const dir of [
        'pnpm',
        'pnpm-v6',
        'pnpm-v9',
        'pnpm-v9-snapshots',
        'pnpm-v5-peer-suffix',
        'pnpm-multi-doc',
      ]) {
        const got = lock(`${dir}/pnpm-lock.yaml`);
        expect(got.length, dir).toBeGreaterThan(0);
        for (const p of got) expect(p.version, `${dir} ${p.name}`).toMatch(/^\d+\.\d+\.\d+/);
      }
    } finally {
      lockOptions.includeDev = false;
    }
  });
});

describe('python', () => {
  it('dist-info METADATA and egg-info PKG-INFO', () => {
    const base = 'syft/syft/pkg/cataloger/python/testdata/site-packages';
    const pkgs = catalogFiles(
      {
        'usr/lib/python3/site-packages/Pygments-2.6.1.dist-info/METADATA': C(
          base,
          'nested/dist-name/dist-info/METADATA',
        ),
        'usr/lib/python3/site-packages/requests.egg-info/PKG-INFO': C(
          base,
          'nested/egg-name/egg-info/PKG-INFO',
        ),
        'usr/lib/python2.7/Python-2.7.egg-info': C(
          'syft/syft/pkg/cataloger/python/testdata/Python-2.7.egg-info',
        ),
      },
      by('python-installed'),
    );
    expect(pkgs.map((p) => p.purl).sort()).toEqual([
      'pkg:pypi/pygments@2.6.1',
      'pkg:pypi/python@2.7.13',
      'pkg:pypi/requests@2.22.0',
    ]);
  });

  it('requirements.txt, poetry.lock, Pipfile.lock, uv.lock', () => {
    const d = 'syft/syft/pkg/cataloger/python/testdata/pypi-remote';
    const pkgs = (f: string) => catalogFiles({ [`src/${f}`]: C(d, f) }, by('python-lock'));
    for (const f of ['requirements.txt', 'poetry.lock', 'Pipfile.lock', 'uv.lock'])
      expect(pkgs(f).length, f).toBeGreaterThan(0);
    expect(
      catalogFiles(
        {
          'r/requirements.txt':
            'flask==2.0.1  # web\nrequests>=2\n-r other.txt\nDjango[argon2]===3.2 ; python_version>"3"\n',
        },
        by('python-lock'),
      ).map((p) => p.purl),
    ).toEqual(['pkg:pypi/django@3.2', 'pkg:pypi/flask@2.0.1']);
    // a wildcard pin is listed as written, unresolved, its purl without a version
    const wildcard = catalogFiles(
      { 'r/requirements.txt': 'requests==2.8.*\nflask==2.0.1\n' },
      by('python-lock'),
    );
    expect(wildcard.map((p) => [p.purl, p.version, p.unresolved])).toEqual([
      ['pkg:pypi/flask@2.0.1', '2.0.1', undefined],
      ['pkg:pypi/requests', '2.8.*', true],
    ]);
  });
});

describe('Go binaries', () => {
  it('reads module, dependencies and Go version from a binary built here', () => {
    const bin = readFileSync(buildGoBinary());
    const probe = goBuildInfoProbe();
    // feed it in awkward chunk sizes: the magic may straddle chunks
    for (let i = 0; i < bin.length; i += 4093) probe.push(bin.subarray(i, i + 4093));
    const extract = probe.finish()!;
    expect(extract.length).toBeLessThan(bin.length);
    const pkgs = catalogFiles({ 'usr/local/bin/hello': extract }, by('go-binary'));
    const goVersion = /go version go(\d+\.\d+(?:\.\d+)?)/.exec(
      execFileSync('go', ['version'], { encoding: 'utf8' }),
    )?.[1];
    expect(pkgs.map((p) => p.purl).sort()).toEqual(
      ['pkg:golang/example.com/greet@v1.2.3', `pkg:golang/stdlib@v${goVersion}`].sort(),
    );
  });

  it('resolves the pointer format of Go < 1.18 binaries through the ELF program headers', () => {
    const bin = Buffer.alloc(0x1100);
    const base = 0x400000;
    Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]).copy(bin);
    bin.writeBigUInt64LE(64n, 0x20);
    bin.writeUInt16LE(56, 0x36);
    bin.writeUInt16LE(1, 0x38);
    bin.writeUInt32LE(1, 64); // PT_LOAD covering the whole file
    bin.writeBigUInt64LE(0n, 64 + 8);
    bin.writeBigUInt64LE(BigInt(base), 64 + 16);
    bin.writeBigUInt64LE(BigInt(bin.length), 64 + 32);
    const version = Buffer.from('go1.16.15');
    const sentinel = Buffer.from('307709af0c9274080241e1c107e6d618e6'.slice(0, 32), 'hex');
    const modinfo = Buffer.concat([
      sentinel,
      Buffer.from(
        'path\texample.com/old\nmod\texample.com/old\t(devel)\t\ndep\tgithub.com/pkg/errors\tv0.9.1\th1:x=\n',
      ),
      sentinel,
    ]);
    version.copy(bin, 0x200);
    modinfo.copy(bin, 0x300);
    bin.writeBigUInt64LE(BigInt(base + 0x200), 0x800);
    bin.writeBigUInt64LE(BigInt(version.length), 0x808);
    bin.writeBigUInt64LE(BigInt(base + 0x300), 0x810);
    bin.writeBigUInt64LE(BigInt(modinfo.length), 0x818);
    Buffer.from('\xff Go buildinf:', 'latin1').copy(bin, 0x1000);
    bin[0x1000 + 14] = 8;
    bin[0x1000 + 15] = 0;
    bin.writeBigUInt64LE(BigInt(base + 0x800), 0x1010);
    bin.writeBigUInt64LE(BigInt(base + 0x810), 0x1018);
    const probe = goBuildInfoProbe();
    probe.push(bin.subarray(0, 0x900));
    probe.push(bin.subarray(0x900));
    const pkgs = catalogFiles({ 'usr/bin/old': probe.finish()! }, by('go-binary'));
    expect(pkgs.map((p) => p.purl).sort()).toEqual([
      'pkg:golang/github.com/pkg/errors@v0.9.1',
      'pkg:golang/stdlib@v1.16.15',
    ]);
  });

  it('ignores executables that are not Go binaries', () => {
    const probe = goBuildInfoProbe();
    probe.push(Buffer.from('#!/bin/sh\necho hi\n'));
    expect(probe.finish()).toBeUndefined();
  });
});

describe('Java archives', () => {
  const jarOf = (dir: string) => {
    const root = corpusPath('images/syft/syft/pkg/cataloger/java/testdata/jar-metadata', dir);
    const files: Record<string, Uint8Array> = {};
    const walk = (rel: string) => {
      for (const e of readdirSync(join(root, rel), { withFileTypes: true })) {
        const p = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) walk(p);
        else files[p] = readFileSync(join(root, p));
      }
    };
    walk('');
    return Buffer.from(zipSync(files));
  };
  const probeOf = (path: string, data: Buffer) => {
    const want = by('java')[0]!.wants(path, { size: data.length, mode: 0o644 })!;
    const probe = want.probe!();
    probe.push(data);
    return probe.finish()!;
  };

  it('pom.properties, MANIFEST and file name; nested jars inside a war', () => {
    const war = Buffer.from(
      zipSync({
        'WEB-INF/lib/opensaml-core-3.4.6.jar': jarOf('opensaml-core-3.4.6'),
        'WEB-INF/lib/commons-lang3-3.12.0.jar': jarOf('commons-lang3-3.12.0'),
        'META-INF/maven/com.example/shop/pom.properties': new TextEncoder().encode(
          'groupId=com.example\nartifactId=shop\nversion=2.0.0\n',
        ),
      }),
    );
    const pkgs = catalogFiles({ 'srv/shop.war': probeOf('srv/shop.war', war) }, by('java'));
    expect(pkgs.map((p) => `${p.purl} ${p.path}`).sort()).toEqual(
      [
        'pkg:maven/com.example/shop@2.0.0 /srv/shop.war',
        'pkg:maven/org.opensaml/opensaml-core@3.4.6 /srv/shop.war/WEB-INF/lib/opensaml-core-3.4.6.jar',
        // no pom.properties: artifact and version from the file name (the group cannot be known offline)
        'pkg:maven/commons-lang3/commons-lang3@3.12.0 /srv/shop.war/WEB-INF/lib/commons-lang3-3.12.0.jar',
      ].sort(),
    );
  });

  it('a nested entry lying about its size is inflated only up to the cap (zip bomb)', () => {
    const jar = Buffer.from(
      zipSync({
        'META-INF/maven/org.example/app/pom.properties': new TextEncoder().encode(
          'groupId=org.example\nartifactId=app\nversion=1.0\n',
        ),
        'BOOT-INF/lib/bomb.jar': new Uint8Array(80 * 2 ** 20),
      }),
    );
    // rewrite the declared uncompressed size of every central directory entry to 10 bytes
    for (
      let i = jar.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
      i >= 0;
      i = jar.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), i + 4)
    )
      jar.writeUInt32LE(10, i + 24);
    const pkgs = catalogFiles({ 'app.jar': probeOf('app.jar', jar) }, by('java'));
    expect(pkgs.map((p) => p.purl)).toEqual(['pkg:maven/org.example/app@1.0']);
  });

  it('without pom.properties, the group comes from the manifest (vendor id, bundle or module name)', () => {
    const got = (dir: string) =>
      catalogFiles({ [`lib/${dir}.jar`]: probeOf(`lib/${dir}.jar`, jarOf(dir)) }, by('java')).map(
        (p) => p.purl,
      );
    expect(got('com.fasterxml.jackson.core.jackson-core-2.15.2')).toEqual([
      'pkg:maven/com.fasterxml.jackson.core/jackson-core@2.15.2',
    ]);
    expect(got('micronaut-aop-4.9.11')).toEqual(['pkg:maven/io.micronaut/micronaut-aop@4.9.11']);
  });

  it('a fat jar lists every artifact shaded into it by its own pom.properties', () => {
    const got = catalogFiles(
      { 'opt/app/api-all-2.0.0.jar': probeOf('opt/app/api-all-2.0.0.jar', jarOf('api-all-2.0.0-sources')) },
      by('java'),
    ).map((p) => p.purl);
    expect(got.sort()).toEqual([
      'pkg:maven/org.apache.directory.api/api-all@2.0.0',
      'pkg:maven/org.apache.directory.api/api-asn1-api@2.0.0',
    ]);
  });

  it('a corrupt archive gives nothing and no error', () => {
    expect(
      catalogFiles({ 'a.jar': probeOf('a.jar', Buffer.from('PK\u0003\u0004 broken')) }, by('java')),
    ).toEqual([]);
  });
});

describe('Ruby, .NET, PHP, Rust', () => {
  it('gemspecs and Gemfile.lock', () => {
    const pkgs = catalogFiles(
      {
        'usr/local/bundle/specifications/rake-13.0.6.gemspec':
          'Gem::Specification.new do |s|\n  s.name = "rake".freeze\n  s.version = "13.0.6"\n  s.licenses = ["MIT".freeze]\nend\n',
        'app/Gemfile.lock': C(
          'grype/test/integration/testdata/image-debian-match-coverage/ruby/Gemfile.lock',
        ),
      },
      by('ruby'),
    );
    expect(keys(pkgs)).toEqual(expect.arrayContaining(['rake@13.0.6', 'rails@4.1.1']));
    expect(pkgs.find((p) => p.name === 'rake')!.purl).toBe('pkg:gem/rake@13.0.6');
  });

  it('.NET deps.json libraries of type package', () => {
    const pkgs = catalogFiles(
      {
        'app/TestLibrary.deps.json': C(
          'grype/test/integration/testdata/image-debian-match-coverage/dotnet/TestLibrary.deps.json',
        ),
      },
      by('dotnet'),
    );
    // only `libraries` entries of type package count: the project itself does not
    expect(pkgs.map((p) => p.purl)).toEqual(['pkg:nuget/AWSSDK.Core@3.7.10.6']);
  });

  it('gradle.lockfile and buildscript-gradle.lockfile (same format, any *gradle.lockfile name)', () => {
    const lock = C('peer-cases/trivy/integration/testdata/fixtures/repo/gradle/gradle.lockfile');
    for (const name of ['gradle.lockfile', 'buildscript-gradle.lockfile']) {
      const pkgs = catalogFiles({ [`app/${name}`]: lock }, by('maven-manifest'));
      expect(
        pkgs.map((p) => p.purl),
        name,
      ).toEqual(['pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.1']);
    }
  });

  it("NuGet packages.lock.json and a .deps.json from Trivy's fixtures (projects left out)", () => {
    const repo = 'peer-cases/trivy/integration/testdata/fixtures/repo';
    const pkgs = catalogFiles(
      {
        'src/packages.lock.json': C(repo, 'nuget/packages.lock.json'),
        'app/datacollector.deps.json': C(repo, 'dotnet/datacollector.deps.json'),
      },
      by('dotnet'),
    );
    expect(pkgs.map((p) => `${p.purl} ${p.path}`)).toEqual([
      'pkg:nuget/Newtonsoft.Json@12.0.3 /src/packages.lock.json',
      'pkg:nuget/Newtonsoft.Json@9.0.1 /app/datacollector.deps.json',
      'pkg:nuget/NuGet.Frameworks@5.7.0 /src/packages.lock.json',
    ]);
  });

  it('Cargo.lock without Cargo.toml lists every package', () => {
    const pkgs = catalogFiles(
      { 'src/Cargo.lock': C('peer-cases/trivy/integration/testdata/fixtures/repo/cargo/Cargo.lock') },
      by('cargo'),
    );
    expect(keys(pkgs)).toContain('winapi@0.3.9');
  });
});
