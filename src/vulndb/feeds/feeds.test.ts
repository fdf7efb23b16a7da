import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { corpusPath } from '../../../test/corpus.js';
import type { AdvisoryRecord } from '../model.js';
import { readSource } from '../reader.js';
import { loadRecords } from '../test-support/load.js';
import { FEEDS } from './index.js';

const V = (...p: string[]) => corpusPath('vulndb', ...p);
const one = (records: AdvisoryRecord[], id: string) => {
  const r = records.find((x) => x.id === id);
  if (!r) throw new Error(`${id} not read`);
  return r;
};

describe('feed registry', () => {
  it('lists every feed file once, with unique names and the feed shape', () => {
    const support = new Set(['index.ts', 'types.ts', 'common.ts', 'schema.ts']);
    const files = readdirSync(new URL('./', import.meta.url)).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !support.has(f),
    );
    const byFile = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    expect(FEEDS.map((f) => `${f.name}.ts`).sort()).toEqual(files.sort());
    expect(FEEDS.map((f) => f.name)).toEqual(FEEDS.map((f) => byFile(f.name)));
    const Shape = z.object({
      name: z.string().regex(/^[a-z][a-z0-9-]*$/),
      description: z.string().min(1),
      sniff: z.function(),
      import: z.function(),
    });
    for (const f of FEEDS) Shape.parse(f);
    expect(new Set(FEEDS.map((f) => f.name)).size).toBe(FEEDS.length);
  });

  it('sniffs one format per sample, and never a peer snapshot or a licence', () => {
    const samples: [string, string][] = [
      [V('osv/go/golang-vulndb/data/osv/GO-2020-0001.json'), 'osv'],
      [V('osv/pypi/pypa-advisory-database/vulns/aiohttp/PYSEC-2023-120.yaml'), 'osv'],
      [V('osv/crates/rustsec-advisory-db/crates/smallvec/RUSTSEC-2021-0003.md'), 'rustsec'],
      [V('debian/security-tracker/data/DSA/list'), 'debian-list'],
      [V('debian/vunnel/tests/unit/providers/debian/test-fixtures/input/debian.json'), 'debian-tracker'],
      [V('debian/vuln-list-debian/tracker/CVE/2024/CVE-2024-3094.json'), 'debian-vuln-list'],
      [V('alpine/alpine-secdb/v3.11/main.yaml'), 'alpine-secdb'],
      [V('alpine/vuln-list/alpine/3.20/main/openssl.json'), 'alpine-secdb'],
      [V('osv/npm/nodejs-security-wg/vuln/npm/1.json'), 'nodejs-security-wg'],
      [V('osv/npm/nodejs-security-wg/vuln/core/1.json'), 'nodejs-security-wg'],
      [V('kev/cisagov-kev-data/known_exploited_vulnerabilities.json'), 'cisa-kev'],
      [V('kev/vunnel/tests/unit/providers/kev/test-fixtures/valid-catalog-1.json'), 'cisa-kev'],
      [V('epss/vunnel/tests/unit/providers/epss/test-fixtures/example-1.csv'), 'epss-csv'],
      [V('sles/vunnel/tests/unit/providers/sles/test-fixtures/suse_truncated.xml'), 'suse-oval'],
      [V('oracle/vunnel/tests/unit/providers/oracle/test-fixtures/mock_data'), 'oracle-oval'],
      [
        V('mariner/vunnel/tests/unit/providers/mariner/test-fixtures/mariner-truncated-2.0-oval.xml'),
        'mariner-oval',
      ],
      [
        V('mariner/vunnel/tests/unit/providers/mariner/test-fixtures/azure-linux-truncated-3.0-oval.xml'),
        'mariner-oval',
      ],
      [V('amazon/vunnel/tests/unit/providers/amazon/test-fixtures/input/2_rss.xml'), 'amazon-alas'],
      [
        V('amazon/vunnel/tests/unit/providers/amazon/test-fixtures/input/2_html/ALAS-2018-939'),
        'amazon-alas',
      ],
      [
        V('photon/vunnel/tests/unit/providers/photon/test-fixtures/input/cve_data_photon4.0.json'),
        'photon-cve',
      ],
      [
        V(
          'photon/vunnel/tests/unit/providers/photon/test-fixtures/input/photon.wiki/Security-Update-4.0-500.md',
        ),
        'photon-cve',
      ],
      [
        V('rhel/vunnel/tests/unit/providers/rhel/test-fixtures/oval/input/cve/full/CVE-2022-2309'),
        'redhat-security-data',
      ],
      [
        V('rhel/vunnel/tests/unit/providers/rhel/test-fixtures/oval/input/cve/min/CVE-2022-2309'),
        'redhat-security-data',
      ],
      [V('ubuntu/vunnel/tests/unit/providers/ubuntu/test-fixtures/osv/usn/USN-5614-1.json'), 'ubuntu-osv'],
      [
        V('ubuntu/vunnel/tests/unit/providers/ubuntu/test-fixtures/normalized-cve-data/CVE-2012-5124'),
        'ubuntu-cve-tracker',
      ],
      [
        V('ubuntu/vunnel/tests/unit/providers/ubuntu/test-fixtures/vex/cve/2023/CVE-2023-38545.json'),
        'ubuntu-vex',
      ],
      [
        V('fedora/vunnel/tests/unit/providers/fedora/test-fixtures/merge-input/FEDORA-2015-3186.json'),
        'fedora-bodhi',
      ],
      [V('rocky/vunnel/tests/unit/providers/rocky/test-fixtures/osv/RLSA-2023_3220.json'), 'rocky-osv'],
      [
        V('rhel/vunnel/tests/unit/providers/rhel/test-fixtures/csaf/advisories/rhsa-2024_1431.json'),
        'redhat-csaf',
      ],
      [
        V(
          'alma/vunnel/tests/unit/providers/alma/test-fixtures/osv-database/advisories/almalinux9/ALSA-2024:2433.json',
        ),
        'alma-osv',
      ],
    ];
    for (const [path, feed] of samples) {
      const { feeds } = loadRecords([path]);
      expect(feeds, path).toEqual([feed]);
      for (const item of readSource({ path, explicit: true }))
        if ('input' in item)
          expect(
            FEEDS.filter((f) => f.sniff(item.input)).map((f) => f.name),
            path,
          ).toEqual([feed]);
    }
    for (const path of [
      V('alpine/vunnel/tests/unit/providers/alpine/test-fixtures/snapshots/3.15/cve-2018-1071.json'),
      V('debian/vuln-list-debian/tracker/distributions.json'),
      V('wolfi/vunnel/tests/unit/providers/chainguard/test-fixtures/input/osv/all.json'),
      V('kev/cisagov-kev-data/known_exploited_vulnerabilities_schema.json'),
      V('kev/vunnel/tests/unit/providers/kev/test-fixtures/snapshots/valid-catalog-1/kev:cve-2025-0108.json'),
      V('epss/vunnel/tests/unit/providers/epss/test-fixtures/snapshots/example-1/cve-1999-0001.json'),
      V('photon/vunnel/tests/unit/providers/photon/test-fixtures/snapshots/photon:4.0/CVE-2023-38545.json'),
      V('amazon/vunnel/tests/unit/providers/amazon/test-fixtures/snapshots/amzn:2/alas-2018-939.json'),
      V('rhel/vunnel/tests/unit/providers/rhel/test-fixtures/snapshots/rhel:8/cve-2022-2309.json'),
      V(
        'ubuntu/vunnel/tests/unit/providers/ubuntu/test-fixtures/snapshots/ubuntu-22.04-lts/ubuntu-cve-2021-3782.json',
      ),
      V(
        'fedora/vunnel/tests/unit/providers/fedora/test-fixtures/snapshots/merge/fedora:36/cve-2022-36760.json',
      ),
    ]) {
      expect(() => loadRecords([path]), path).toThrow(/no feed sniffed/);
    }
  });
});

describe('OSV', () => {
  it('reads a Go record: module, events, aliases, symbols kept', () => {
    const { records } = loadRecords([V('osv/go/golang-vulndb/data/osv/GO-2020-0001.json')]);
    const r = one(records, 'GO-2020-0001');
    expect(r.source).toBe('go');
    expect(r.aliases.length).toBeGreaterThan(0);
    const gin = r.affected.find((a) => a.package === 'github.com/gin-gonic/gin');
    expect(gin).toMatchObject({ namespace: 'go', state: 'fixed', fixedVersion: '1.6.0' });
    expect(r.extra?.ecosystemSpecific).toBeDefined();
  });

  it('reads PyPI YAML with every scalar as a string (1.10 stays 1.10) and normalizes names', () => {
    const { records } = loadRecords([V('osv/pypi/pypa-advisory-database/vulns/aiohttp/PYSEC-2023-120.yaml')]);
    const r = one(records, 'PYSEC-2023-120');
    expect(r).toMatchObject({ source: 'pypi', aliases: ['GHSA-45c4-8wx5-qw6w', 'CVE-2023-37276'] });
    const a = r.affected[0]!;
    expect(a).toMatchObject({ namespace: 'pypi', package: 'aiohttp', fixedVersion: '3.8.5' });
    expect(a.versions.every((v) => typeof v === 'string')).toBe(true);
    expect(a.versions).toContain('3.8.4');
  });

  it('drops and counts a record that fails the schema, keeps the rest of the file', () => {
    const doc = [
      { id: 'GO-1', affected: [{ package: { ecosystem: 'Go', name: 'a' }, ranges: [] }] },
      { id: 'GO-2', affected: 'everything' },
      { id: '', summary: 'no id' },
    ];
    const out: AdvisoryRecord[] = [];
    const dropped: string[] = [];
    const feed = FEEDS.find((f) => f.name === 'osv')!;
    const input = { name: 'x.json', origin: 'x.json', kind: 'json' as const, text: '', doc };
    expect(feed.sniff(input)).toBe(true);
    feed.import(input, { add: (r) => out.push(r), signal: () => {}, drop: (why) => dropped.push(why) });
    expect(out.map((r) => r.id)).toEqual(['GO-1']);
    expect(dropped).toHaveLength(2);
    expect(dropped[0]).toMatch(/GO-2: affected/);
  });

  it('withdrawn records are withdrawn only once the date has passed', () => {
    const dir = V('osv/pypi/trivy-db/pkg/vulnsrc/osv/testdata/happy/vuln-list/osv/python');
    const { records } = loadRecords([join(dir, 'PYSEC-2023-73.json'), join(dir, 'withdrawn_after_now.json')]);
    expect(one(records, 'PYSEC-2023-73').affected.every((a) => a.state === 'withdrawn')).toBe(true);
    expect(one(records, 'PYSEC-2019-156').affected.every((a) => a.state !== 'withdrawn')).toBe(true);
  });

  it('keeps GHSA severities: the CVSS vector with its computed score and the database word', () => {
    const dir = V('osv/ghsa/trivy-db/pkg/vulnsrc/ghsa/testdata/happy/ghsa/advisories/github-reviewed');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.json'))
      .map((f) => join(dir, f));
    const { records } = loadRecords(files);
    expect(records).toHaveLength(10);
    const namespaces = new Set(records.flatMap((r) => r.affected.map((a) => a.namespace)));
    for (const ns of ['go', 'maven', 'swift', 'composer', 'npm', 'nuget', 'cargo'])
      expect(namespaces).toContain(ns);
    const withWord = records.filter((r) =>
      r.severity.some((s) => s.type === 'vendor' && s.source === 'ghsa'),
    );
    expect(withWord.length).toBeGreaterThan(0);
    for (const r of records)
      for (const s of r.severity.filter((x) => x.type === 'CVSS_V3'))
        expect(s.score, r.id).toBeTypeOf('number');
  });
});

describe('RustSec', () => {
  it('reads the TOML front matter: patched → requirement ranges, fixed version, aliases, title', () => {
    const { records } = loadRecords([
      V('osv/crates/rustsec-advisory-db/crates/smallvec/RUSTSEC-2021-0003.md'),
    ]);
    const r = one(records, 'RUSTSEC-2021-0003');
    expect(r.source).toBe('rustsec');
    expect(r.title).toBeTruthy();
    const a = r.affected[0]!;
    expect(a.namespace).toBe('cargo');
    expect(a.package).toBe('smallvec');
    expect(a.ranges[0]).toMatchObject({ type: 'REQUIREMENTS' });
    expect(a.fixedVersion).toMatch(/^\d/);
  });

  it('drops the template placeholder RUSTSEC-0000-0000', () => {
    const { records, dropped } = loadRecords([V('osv/crates/rustsec-advisory-db/EXAMPLE_ADVISORY.md')]);
    expect(records).toEqual([]);
    expect(dropped).toEqual([expect.stringContaining('RUSTSEC-0000-0000')]);
  });
});

describe('Debian', () => {
  it('reads DSA list blocks: date, CVE aliases, fixed versions and tracker tags per release', () => {
    const { records } = loadRecords([V('debian/vunnel/tests/unit/providers/debian/test-fixtures/input/DSA')]);
    expect(records).toHaveLength(10);
    const r = one(records, 'DSA-140');
    expect(r).toMatchObject({ source: 'debian-dsa', aliases: ['CVE-2002-0660', 'CVE-2002-0728'] });
    expect(r.published).toBe('2002-08-05T00:00:00.000Z');
    expect(r.affected.map((a) => [a.namespace, a.package, a.fixedVersion])).toEqual([
      ['deb/debian/3.0', 'libpng', '1.0.12-3.woody.2'],
      ['deb/debian/3.0', 'libpng3', '1.2.1-1.1.woody.2'],
    ]);
    expect(one(records, 'DSA-3281-1').affected).toEqual([]);
  });

  it('maps every tracker tag of the list syntax to a state', () => {
    const text = [
      '[01 Jan 2023] DSA-9999-1 demo - security update',
      '\t{CVE-2023-0001}',
      '\t[bookworm] - a <not-affected> (Vulnerable code not present)',
      '\t[bookworm] - b <no-dsa> (Minor issue)',
      '\t[bookworm] - c <postponed>',
      '\t[bookworm] - d <ignored>',
      '\t[bookworm] - e <end-of-life>',
      '\t[bookworm] - f <unfixed>',
      '\t[bookworm] - g 1:2.0-1+deb12u1',
      '\t[atlantis] - h 1.0',
    ].join('\n');
    const { records } = (() => {
      const out: AdvisoryRecord[] = [];
      const feed = FEEDS.find((f) => f.name === 'debian-list')!;
      const input = { name: 'list', origin: 'list', kind: 'text' as const, text, doc: undefined };
      expect(feed.sniff(input)).toBe(true);
      feed.import(input, { add: (r) => out.push(r), signal: () => {}, drop: () => {} });
      return { records: out };
    })();
    const states = Object.fromEntries(
      records[0]!.affected.map((a) => [a.package, [a.state, a.reason ?? null]]),
    );
    expect(states).toEqual({
      a: ['not_affected', 'Vulnerable code not present'],
      b: ['affected', 'Minor issue'],
      c: ['fix_deferred', 'postponed'],
      d: ['will_not_fix', 'ignored'],
      e: ['end_of_life', 'end-of-life'],
      f: ['affected', null],
      g: ['fixed', null],
    });
  });

  it('reads the tracker JSON export: per release, fixed_version 0 = never affected, urgency with ** kept', () => {
    const { records } = loadRecords([
      V('debian/vunnel/tests/unit/providers/debian/test-fixtures/input/debian.json'),
    ]);
    const r = one(records, 'CVE-2008-7220');
    const sid = r.affected.find((a) => a.namespace === 'deb/debian/unstable')!;
    expect(sid).toMatchObject({ package: 'prototypejs', state: 'fixed', fixedVersion: '1.6.0.2-1' });
    expect(sid.severity[0]).toMatchObject({ source: 'debian', value: 'high**', severity: 'HIGH' });
    const all = records.flatMap((x) => x.affected);
    expect(all.some((a) => a.state === 'not_affected' && a.reason === 'never affected')).toBe(true);
    expect(all.filter((a) => a.state === 'end_of_life').map((a) => a.namespace)).toEqual([
      'deb/debian/10',
      'deb/debian/9',
    ]);
  });

  it('reads vuln-list-debian CVE renderings: a line without release is sid', () => {
    const { records } = loadRecords([V('debian/vuln-list-debian/tracker/CVE/2024/CVE-2024-3094.json')]);
    const r = one(records, 'CVE-2024-3094');
    expect(r.affected.find((a) => a.namespace === 'deb/debian/unstable')).toMatchObject({
      package: 'xz-utils',
      state: 'fixed',
      fixedVersion: '5.6.1+really5.4.5-1',
    });
    expect(r.affected.find((a) => a.namespace === 'deb/debian/12')).toMatchObject({ state: 'not_affected' });
  });
});

describe('Alpine and Wolfi secdb', () => {
  it('keys by origin, one record per id, "0" = never affected, comments and second ids become aliases', () => {
    const { records } = loadRecords([
      V('alpine/vuln-list/alpine/3.20/main/openssl.json'),
      V('alpine/trivy-db/pkg/vulnsrc/alpine/testdata/happy/vuln-list/alpine/ansible.json'),
    ]);
    expect(one(records, 'CVE-2022-1292').affected[0]).toMatchObject({
      namespace: 'apk/alpine/3.20',
      package: 'openssl',
      state: 'not_affected',
    });
    expect(one(records, 'CVE-2019-1551').affected[0]).toMatchObject({
      fixedVersion: '1.1.1d-r3',
      state: 'fixed',
    });
    expect(one(records, 'CVE-2024-22195').aliases).toEqual(['GHSA-h5c8-rqwp-cp95']);
    expect(one(records, 'CVE-2017-2616').affected[0]?.namespace).toBe('apk/alpine/3.12');
  });

  it('tells Wolfi, Chainguard and MinimOS apart (rolling releases)', () => {
    const base = (p: string) =>
      V('wolfi/vunnel/tests/unit/providers', p, 'test-fixtures/input/secdb/security.json');
    for (const [p, source, ns] of [
      ['wolfi', 'wolfi-secdb', 'apk/wolfi/rolling'],
      ['chainguard', 'chainguard-secdb', 'apk/chainguard/rolling'],
      ['minimos', 'minimos-secdb', 'apk/minimos/rolling'],
    ] as const) {
      const { records } = loadRecords([base(p)]);
      expect(records.length, p).toBeGreaterThan(0);
      expect(new Set(records.map((r) => r.source))).toEqual(new Set([source]));
      expect(records[0]!.affected[0]!.namespace).toBe(ns);
    }
  });
});

describe('Node.js security-wg', () => {
  it('reads legacy npm advisories, core advisories and dependency assessments', () => {
    const dir = V('osv/npm/nodejs-security-wg/vuln');
    const { records } = loadRecords([
      join(dir, 'npm/1.json'),
      join(dir, 'core/1.json'),
      join(dir, 'deps/1.json'),
    ]);
    expect(one(records, 'NSWG-ECO-1')).toMatchObject({
      source: 'nodejs-security-wg',
      aliases: ['CVE-2014-7205'],
    });
    expect(one(records, 'NSWG-ECO-1').affected[0]).toMatchObject({
      namespace: 'npm',
      package: 'bassmaster',
      fixedVersion: '1.5.2',
    });
    expect(one(records, 'NSWG-ECO-1').severity[0]).toMatchObject({
      type: 'CVSS_V3',
      score: 6.5,
      severity: 'MEDIUM',
    });
    expect(one(records, 'NSWG-CORE-1').affected[0]).toMatchObject({ namespace: 'nodejs', package: 'node' });
    expect(one(records, 'NSWG-DEPS-1').affected[0]).toMatchObject({ state: 'not_affected' });
  });
});

describe('agreement with a peer (anchore/vunnel snapshots of the same inputs)', () => {
  function agreement(inputs: string[], snapshots: string, namespaceOf: (dir: string) => string) {
    const { records } = loadRecords(inputs);
    const rows = new Map<string, { state: string; fixed: string | null }>();
    for (const r of records)
      for (const id of [r.id, ...r.aliases])
        for (const a of r.affected) {
          const key = `${id}|${a.namespace}|${a.package}`;
          if (id === r.id || !rows.has(key)) rows.set(key, { state: a.state, fixed: a.fixedVersion });
        }
    let total = 0;
    let covered = 0;
    const disagreements: string[] = [];
    for (const dir of readdirSync(snapshots)) {
      for (const f of readdirSync(join(snapshots, dir))) {
        const v = JSON.parse(readFileSync(join(snapshots, dir, f), 'utf8')).item.Vulnerability;
        for (const fixedIn of v.FixedIn) {
          total++;
          const got = rows.get(`${v.Name}|${namespaceOf(dir)}|${fixedIn.Name}`);
          if (!got) continue;
          covered++;
          const want = fixedIn.Version === 'None' ? null : fixedIn.Version;
          const ok = want === '0' ? got.state === 'not_affected' : got.fixed === want;
          if (!ok)
            disagreements.push(
              `${dir} ${v.Name} ${fixedIn.Name}: ${fixedIn.Version} vs ${got.state} ${got.fixed}`,
            );
        }
      }
    }
    return { total, covered, disagreements };
  }

  it('Debian: every covered fixed version agrees (one snapshot row comes from an input not in the corpus)', () => {
    const base = V('debian/vunnel/tests/unit/providers/debian/test-fixtures');
    const r = agreement(
      [join(base, 'input/debian.json'), join(base, 'input/DSA')],
      join(base, 'snapshots'),
      (d) => (d === 'debian:unstable' ? 'deb/debian/unstable' : `deb/debian/${d.split(':')[1]}`),
    );
    expect(r.disagreements).toEqual([]);
    expect(r).toMatchObject({ total: 26, covered: 25 });
  });

  it('Alpine 3.15 and MinimOS: every row agrees', () => {
    const alpine = V('alpine/vunnel/tests/unit/providers/alpine/test-fixtures');
    const a = agreement(
      [join(alpine, 'input/secdb/v3.15/main.yaml'), join(alpine, 'input/secdb/v3.15/community.yaml')],
      join(alpine, 'snapshots'),
      (d) => `apk/alpine/${d}`,
    );
    expect(a).toEqual({ total: 16, covered: 16, disagreements: [] });
    const mini = V('wolfi/vunnel/tests/unit/providers/minimos/test-fixtures');
    const m = agreement(
      [join(mini, 'input/secdb/security.json')],
      join(mini, 'snapshots'),
      () => 'apk/minimos/rolling',
    );
    expect(m).toEqual({ total: 59, covered: 59, disagreements: [] });
  });
});
