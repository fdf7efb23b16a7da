// Test-side loader of Trivy's integration fixture DB (integration/testdata/fixtures/db/*.yaml: bolt buckets as
// YAML) into Bulkhead's advisory model, so that the peer cases run against the peer's own advisory data.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { type Severity, severityFromCvssScore } from '../../../src/core/severity.js';
import { schemeOf } from '../../../src/scan/namespace.js';
import {
  type AdvisoryRecord,
  type AdvisoryState,
  type AffectedPackage,
  type AffectedRange,
  type RangeEvent,
  type SeverityEntry,
  schemeFor,
} from '../../../src/vulndb/index.js';

interface Pair {
  bucket?: string;
  key?: string;
  value?: unknown;
  pairs?: Pair[];
}
type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Trivy's severity numbers (dbTypes.Severity) and status numbers (dbTypes.Status). */
const SEVERITY_NUM: readonly Severity[] = ['UNKNOWN', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
const STATUS_NUM: Readonly<Record<number, AdvisoryState>> = {
  1: 'not_affected',
  2: 'affected',
  3: 'fixed',
  4: 'affected',
  5: 'will_not_fix',
  6: 'fix_deferred',
  7: 'end_of_life',
};
const STATE_WORD: Readonly<Record<string, AdvisoryState>> = {
  postponed: 'fix_deferred',
  ignored: 'will_not_fix',
  will_not_fix: 'will_not_fix',
  'end-of-life': 'end_of_life',
  'not-affected': 'not_affected',
};

/** OS bucket → namespace and the data source id Trivy uses when data-source.yaml has none. */
function osBucket(bucket: string): { namespace: string; source: string } | undefined {
  const rules: [RegExp, (m: RegExpExecArray) => string, string][] = [
    [/^debian (\S+)$/, (m) => `deb/debian/${m[1]}`, 'debian'],
    [/^ubuntu (\S+)$/, (m) => `deb/ubuntu/${m[1]}`, 'ubuntu'],
    [/^alpine (\S+)$/, (m) => `apk/alpine/${m[1]}`, 'alpine'],
    [/^amazon linux (\S+)$/, (m) => `rpm/amazon/${m[1]}`, 'amazon'],
    [/^alma (\S+)$/, (m) => `rpm/almalinux/${m[1]}`, 'alma'],
    [/^rocky (\S+)$/, (m) => `rpm/rocky/${m[1]}`, 'rocky'],
    [/^Oracle Linux (\S+)$/, (m) => `rpm/oracle/${m[1]}`, 'oracle-oval'],
    [/^Photon OS (\S+)$/, (m) => `rpm/photon/${m[1]}`, 'photon'],
    [/^openSUSE Leap (\S+)$/, (m) => `rpm/opensuse-leap/${m[1]}`, 'suse-cvrf'],
    [/^openSUSE Tumbleweed$/, () => 'rpm/opensuse-tumbleweed/rolling', 'suse-cvrf'],
    [/^SUSE Linux Enterprise Micro (\S+)$/, (m) => `rpm/suse-micro/${m[1]}`, 'suse-cvrf'],
    [/^SUSE Linux Enterprise (\S+)$/, (m) => `rpm/suse/${m[1]}`, 'suse-cvrf'],
    [/^CBL-Mariner (\S+)$/, (m) => `rpm/mariner/${m[1]}`, 'cbl-mariner'],
  ];
  for (const [re, ns, source] of rules) {
    const m = re.exec(bucket);
    if (m) return { namespace: ns(m), source };
  }
  return undefined;
}

const ECOSYSTEMS: Readonly<Record<string, string>> = {
  npm: 'npm',
  pip: 'pypi',
  go: 'go',
  maven: 'maven',
  cargo: 'cargo',
  rubygems: 'gem',
  nuget: 'nuget',
  composer: 'composer',
  erlang: 'hex',
  swift: 'swift',
  pub: 'pub',
  conan: 'conan',
  cocoapods: 'cocoapods',
  k8s: 'k8s',
};

function vendorEntry(source: string, severity: Severity): SeverityEntry {
  return { source, type: 'vendor', value: severity.toLowerCase(), severity };
}

/** vulnerability.yaml details → title and severities (vendor words, CVSS vectors with scores, Trivy's own). */
function details(v: Json): { title: string | null; severity: SeverityEntry[] } {
  const out: SeverityEntry[] = [];
  if (isObj(v.VendorSeverity))
    for (const [vendor, n] of Object.entries(v.VendorSeverity))
      out.push(vendorEntry(vendor, SEVERITY_NUM[Number(n)] ?? 'UNKNOWN'));
  if (isObj(v.CVSS))
    for (const [src, c] of Object.entries(v.CVSS)) {
      if (!isObj(c)) continue;
      if (typeof c.V3Vector === 'string')
        out.push({
          source: src,
          type: 'CVSS_V3',
          value: c.V3Vector,
          ...(typeof c.V3Score === 'number' ? { score: c.V3Score } : {}),
          severity: severityFromCvssScore(Number(c.V3Score ?? -1)),
        });
      if (typeof c.V2Vector === 'string')
        out.push({
          source: src,
          type: 'CVSS_V2',
          value: c.V2Vector,
          ...(typeof c.V2Score === 'number' ? { score: c.V2Score } : {}),
          severity: severityFromCvssScore(Number(c.V2Score ?? -1), '2'),
        });
    }
  if (typeof v.Severity === 'string')
    out.push(vendorEntry('trivy', (v.Severity.toUpperCase() as Severity) ?? 'UNKNOWN'));
  return { title: typeof v.Title === 'string' ? v.Title : null, severity: out };
}

const OPS = /^(>=|<=|>|<|==|=|!=)?\s*(.+)$/;

/**
 * Trivy's comparator lists (`>= 4.2.0, < 4.2.2`, `< 3.0.0`) → OSV events; a `<=` bound becomes the lowest
 * patched version at or above it when one exists (GHSA Erlang's `<= 1.6.14` with 1.6.14 patched).
 */
function constraintRange(
  spec: string,
  patched: string[],
  compare: (a: string, b: string) => number,
): { range?: AffectedRange; versions: string[] } {
  const events: RangeEvent[] = [];
  const versions: string[] = [];
  let introduced = '0';
  for (const part of spec
    .split(/,|\s+(?=[<>=!])/)
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = OPS.exec(part);
    if (!m) continue;
    const op = m[1] ?? '=';
    const ver = m[2]!.trim();
    if (op === '>=' || op === '>') introduced = ver;
    else if (op === '<') events.push({ fixed: ver });
    else if (op === '<=') {
      // a patched version is not affected: when the advisory lists the bound itself as patched, that wins
      const next = patched.filter((p) => compare(p, ver) >= 0).sort(compare)[0];
      events.push(next ? { fixed: next } : { last_affected: ver });
    } else if (op === '=' || op === '==') versions.push(ver);
  }
  if (events.length === 0 && versions.length > 0 && introduced === '0') return { versions };
  return { range: { type: 'ECOSYSTEM', events: [{ introduced }, ...events] }, versions };
}

/**
 * Maven interval syntax as GitLab's advisories write it: `[2.9.0,2.9.10.7)`, `(,1.2]`, `[1.0,1.2),[1.3,)`.
 * Each interval becomes one OSV range; an exclusive lower bound is kept as `introduced` (none occurs in the data).
 */
function mavenIntervals(spec: string): AffectedRange[] {
  const ranges: AffectedRange[] = [];
  for (const m of spec.matchAll(/([[(])\s*([^,\])]*?)\s*,\s*([^\])]*?)\s*([\])])/g)) {
    const [, , lower, upper, close] = m;
    const events: RangeEvent[] = [{ introduced: lower || '0' }];
    if (upper) events.push(close === ']' ? { last_affected: upper } : { fixed: upper });
    ranges.push({ type: 'ECOSYSTEM', events });
  }
  return ranges;
}

function languageAffected(namespace: string, pkg: string, v: Json): Omit<AffectedPackage, 'severity'> {
  const scheme = schemeOf(namespace) ?? schemeFor('maven')!;
  const patched = (Array.isArray(v.PatchedVersions) ? v.PatchedVersions : []).map(String);
  const vulnerable = (Array.isArray(v.VulnerableVersions) ? v.VulnerableVersions : []).map(String);
  const ranges: AffectedRange[] = [];
  const versions: string[] = [];
  const specs =
    vulnerable.length > 0
      ? vulnerable.flatMap((s) => s.split('||'))
      : patched.length > 0
        ? [`< ${patched.sort(scheme.compare)[0]}`]
        : ['>= 0'];
  for (const s of specs) {
    if (/^[[(]/.test(s.trim())) {
      ranges.push(...mavenIntervals(s.trim()));
      continue;
    }
    const r = constraintRange(s.trim(), patched, scheme.compare);
    if (r.range) ranges.push(r.range);
    versions.push(...r.versions);
  }
  return {
    namespace,
    package: pkg,
    state: patched.length > 0 ? 'fixed' : 'affected',
    ranges,
    versions,
    fixedVersion: null,
  };
}

function osAffected(namespace: string, pkg: string, v: Json, source: string): AffectedPackage {
  const fixed = typeof v.FixedVersion === 'string' && v.FixedVersion !== '' ? v.FixedVersion : null;
  const word = typeof v.State === 'string' ? STATE_WORD[v.State] : undefined;
  const state: AdvisoryState = fixed ? 'fixed' : (word ?? STATUS_NUM[Number(v.Status)] ?? 'affected');
  const sev = v.Severity !== undefined ? SEVERITY_NUM[Number(v.Severity)] : undefined;
  return {
    namespace,
    package: pkg,
    state,
    ranges: fixed ? [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }] : [],
    versions: [],
    fixedVersion: fixed,
    severity: sev && sev !== 'UNKNOWN' ? [vendorEntry(source, sev)] : [],
  };
}

/** Every `*.yaml` of the fixture DB directory as Bulkhead advisory records (one per source × vulnerability). */
export function loadTrivyFixtureDb(dir: string): AdvisoryRecord[] {
  const docs = new Map<string, Pair[]>();
  for (const f of readdirSync(dir)
    .filter((n) => n.endsWith('.yaml'))
    .sort())
    docs.set(f, (parse(readFileSync(join(dir, f), 'utf8')) as Pair[] | null) ?? []);
  const vulns = new Map<string, Json>();
  for (const b of docs.get('vulnerability.yaml') ?? [])
    for (const p of b.pairs ?? []) if (p.key && isObj(p.value)) vulns.set(p.key, p.value);
  const dataSources = new Map<string, { id: string; name: string }>();
  for (const b of docs.get('data-source.yaml') ?? [])
    for (const p of b.pairs ?? [])
      if (p.key && isObj(p.value))
        dataSources.set(p.key, { id: String(p.value.ID ?? ''), name: String(p.value.Name ?? '') });
  const cpes = new Map<number, string>();
  for (const b of docs.get('cpe.yaml') ?? [])
    for (const sub of b.pairs ?? [])
      if (sub.bucket === 'cpe')
        for (const p of sub.pairs ?? [])
          if (p.key && typeof p.value === 'string') cpes.set(Number(p.key), p.value);

  const records = new Map<string, AdvisoryRecord>();
  const add = (source: string, id: string, aliases: string[], affected: AffectedPackage) => {
    const key = `${source}\u0000${id}`;
    let r = records.get(key);
    if (!r) {
      const d = details(vulns.get(id) ?? {});
      r = {
        source,
        format: 'trivy-fixture',
        id,
        aliases: [],
        title: d.title,
        severity: d.severity,
        references: [],
        published: null,
        modified: null,
        withdrawn: null,
        affected: [],
      };
      records.set(key, r);
    }
    r.aliases = [...new Set([...r.aliases, ...aliases])];
    r.affected.push(affected);
  };

  for (const [file, buckets] of docs) {
    if (file === 'vulnerability.yaml' || file === 'data-source.yaml' || file === 'cpe.yaml') continue;
    for (const top of buckets) {
      const name = top.bucket ?? '';
      const eco = /^([^:]+)::(.+)$/.exec(name);
      const os = osBucket(name);
      for (const pkgBucket of top.pairs ?? []) {
        const pkg = pkgBucket.bucket ?? '';
        for (const p of pkgBucket.pairs ?? []) {
          if (!p.key || !isObj(p.value)) continue;
          const v = p.value;
          if (eco) {
            const namespace = ECOSYSTEMS[eco[1]!] ?? eco[1]!;
            const ds = dataSources.get(name);
            const source =
              ds?.id || (/GitHub/.test(eco[2]!) ? 'ghsa' : /GitLab/.test(eco[2]!) ? 'glad' : eco[2]!);
            add(source, p.key, [], { ...languageAffected(namespace, pkg, v), severity: [] });
          } else if (name === 'Red Hat') {
            for (const entry of Array.isArray(v.Entries) ? v.Entries : []) {
              if (!isObj(entry)) continue;
              const majors = new Set<string>();
              for (const i of Array.isArray(entry.Affected) ? entry.Affected : []) {
                const m = /enterprise_linux:(\d+)/.exec(cpes.get(Number(i)) ?? '');
                if (m) majors.add(m[1]!);
              }
              const cves = Array.isArray(entry.Cves) ? entry.Cves.filter(isObj) : [];
              for (const major of majors)
                for (const cve of cves.length > 0 ? cves : [{}]) {
                  const id = typeof cve.ID === 'string' && cve.ID ? cve.ID : p.key;
                  const aff = osAffected(
                    `rpm/redhat/${major}`,
                    pkg,
                    { ...entry, Severity: cve.Severity },
                    'redhat',
                  );
                  add('redhat', id, id === p.key ? [] : [p.key], aff);
                }
            }
          } else if (os) {
            const source = dataSources.get(name)?.id || os.source;
            const aliases = Array.isArray(v.VendorIDs) ? v.VendorIDs.map(String) : [];
            add(source, p.key, aliases, osAffected(os.namespace, pkg, v, source));
          }
        }
      }
    }
  }
  return [...records.values()];
}
