// Reading Trivy's peer cases: cases.json rows, goldens (Trivy JSON or CycloneDX), package goldens.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { releaseOf } from '../../../src/sbom/os.js';
import { buildPurl } from '../../../src/sbom/purl.js';
import type { OsInfo, Package, PurlType } from '../../../src/sbom/types.js';

export interface TrivyCase {
  name: string;
  kind: 'image' | 'fs' | 'sbom';
  test: string;
  input: string;
  golden: string;
  args: Record<string, unknown>;
  goldenComparedWithOverride?: boolean;
  packagesGolden?: string;
}

/** The compared facts of one finding. */
export interface Tuple {
  id: string;
  pkg: string;
  installed: string;
  fixed: string;
  severity: string;
  status: string;
}

/** Trivy result types → the purl type Bulkhead catalogs them as (others have no Bulkhead cataloger). */
export const RESULT_TYPES: Readonly<Record<string, PurlType>> = {
  debian: 'deb',
  ubuntu: 'deb',
  alpine: 'apk',
  centos: 'rpm',
  redhat: 'rpm',
  rocky: 'rpm',
  alma: 'rpm',
  amazon: 'rpm',
  photon: 'rpm',
  'opensuse-leap': 'rpm',
  'opensuse-tumbleweed': 'rpm',
  oracle: 'rpm',
  npm: 'npm',
  yarn: 'npm',
  pnpm: 'npm',
  bun: 'npm',
  'node-pkg': 'npm',
  pipenv: 'pypi',
  poetry: 'pypi',
  uv: 'pypi',
  pylock: 'pypi',
  pip: 'pypi',
  'python-pkg': 'pypi',
  gomod: 'golang',
  gobinary: 'golang',
  pom: 'maven',
  gradle: 'maven',
  jar: 'maven',
  cargo: 'cargo',
  bundler: 'gem',
  gemspec: 'gem',
  nuget: 'nuget',
  'dotnet-core': 'nuget',
  'packages-props': 'nuget',
  composer: 'composer',
  'composer-vendor': 'composer',
  sbt: 'maven',
  swift: 'swift',
  cocoapods: 'cocoapods',
  conan: 'conan',
  pub: 'pub',
  hex: 'hex',
  'conda-pkg': 'conda',
  'conda-environment': 'conda',
  julia: 'julia',
  kubernetes: 'k8s',
};

/** Trivy's OS result types: supported when OS detection (or the SBOM) names the same family. */
export const OS_RESULT_TYPES: ReadonlySet<string> = new Set(
  Object.entries(RESULT_TYPES)
    .filter(([, t]) => t === 'deb' || t === 'apk' || t === 'rpm')
    .map(([k]) => k),
);

/** A path of the case layout: under the given directory, else the corpus copy. */
export function resolveIn(dir: string, fallback: string | undefined, rel: string): string | undefined {
  for (const base of [dir, fallback]) {
    if (!base) continue;
    const p = join(base, rel);
    if (existsSync(p)) return p;
  }
  return undefined;
}

export function readCases(dir: string): TrivyCase[] {
  const doc = JSON.parse(readFileSync(join(dir, 'cases.json'), 'utf8')) as
    | { cases?: TrivyCase[] }
    | TrivyCase[];
  return Array.isArray(doc) ? doc : (doc.cases ?? []);
}

interface GoldenVuln {
  VulnerabilityID: string;
  PkgName: string;
  InstalledVersion: string;
  FixedVersion?: string;
  Severity: string;
  Status?: string;
}
interface GoldenResult {
  Target: string;
  Type?: string;
  Vulnerabilities?: GoldenVuln[] | null;
}

export interface Golden {
  /** Trivy JSON, or a CycloneDX document with vulnerabilities (fixed version and status not carried). */
  format: 'trivy' | 'cyclonedx' | 'sbom-only';
  os?: { Family: string; Name: string };
  /** sbom-only: the purls of the packages the peer's SBOM lists. */
  purls?: string[];
  tuples: Tuple[];
  types: string[];
}

export function readGolden(file: string): Golden {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  if (Array.isArray(doc.Results) || 'SchemaVersion' in doc) {
    const results = (doc.Results ?? []) as GoldenResult[];
    const meta = doc.Metadata as { OS?: { Family: string; Name: string } } | undefined;
    return {
      format: 'trivy',
      ...(meta?.OS ? { os: meta.OS } : {}),
      types: [...new Set(results.map((r) => r.Type ?? '').filter(Boolean))],
      tuples: results.flatMap((r) =>
        (r.Vulnerabilities ?? []).map((v) => ({
          id: v.VulnerabilityID,
          pkg: v.PkgName,
          installed: v.InstalledVersion,
          fixed: v.FixedVersion ?? '',
          severity: v.Severity,
          status: v.Status ?? 'fixed',
        })),
      ),
    };
  }
  if (doc.bomFormat === 'CycloneDX' && Array.isArray(doc.vulnerabilities) && doc.vulnerabilities.length > 0) {
    const comps = new Map<string, { name: string; version: string; purl?: string }>();
    const walk = (list: unknown) => {
      for (const c of (Array.isArray(list) ? list : []) as Record<string, unknown>[]) {
        comps.set(String(c['bom-ref']), {
          name: String(c.group ? `${c.group}:${c.name}` : c.name),
          version: String(c.version ?? ''),
          ...(typeof c.purl === 'string' ? { purl: c.purl } : {}),
        });
        walk(c.components);
      }
    };
    walk(doc.components);
    const tuples: Tuple[] = [];
    const types = new Set<string>();
    for (const v of doc.vulnerabilities as Record<string, unknown>[]) {
      for (const a of (v.affects ?? []) as { ref: string }[]) {
        const c = comps.get(a.ref);
        if (!c) continue;
        const t = /^pkg:([^/]+)\//.exec(c.purl ?? '')?.[1];
        if (t) types.add(t);
        tuples.push({
          id: String(v.id),
          pkg: c.name,
          installed: c.version,
          fixed: '',
          severity: '',
          status: '',
        });
      }
    }
    return { format: 'cyclonedx', tuples, types: [...types] };
  }
  return { format: 'sbom-only', tuples: [], types: [], purls: sbomPurls(doc) };
}

/** The package purls of a CycloneDX (components, nested) or SPDX JSON (packages' purl references) document. */
function sbomPurls(doc: Record<string, unknown>): string[] {
  const out: string[] = [];
  const walk = (list: unknown) => {
    for (const c of (Array.isArray(list) ? list : []) as Record<string, unknown>[]) {
      if (typeof c.purl === 'string') out.push(c.purl);
      walk(c.components);
    }
  };
  walk(doc.components);
  for (const p of (Array.isArray(doc.packages) ? doc.packages : []) as Record<string, unknown>[])
    for (const r of (Array.isArray(p.externalRefs) ? p.externalRefs : []) as Record<string, unknown>[])
      if (r.referenceType === 'purl' && typeof r.referenceLocator === 'string') out.push(r.referenceLocator);
  return [...new Set(out)].sort();
}

interface GoldenPkg {
  Name: string;
  Version: string;
  Release?: string;
  Epoch?: number;
  Arch?: string;
  SrcName?: string;
  SrcVersion?: string;
  SrcRelease?: string;
  SrcEpoch?: number;
  Layer?: { DiffID?: string };
}

function evr(version: string, release?: string, epoch?: number): string {
  const v = release ? `${version}-${release}` : version;
  return epoch ? `${epoch}:${v}` : v;
}

/** Trivy's OS metadata → Bulkhead's OsInfo. */
export function goldenOs(os: { Family: string; Name: string }): OsInfo {
  const version = releaseOf(os.Family, os.Name);
  return { family: os.Family, version, ...(version !== os.Name ? { fullVersion: os.Name } : {}) };
}

/** A package golden (the peer's detected packages of an image) as Bulkhead packages. */
export function goldenPackages(file: string, os: OsInfo): Package[] {
  const list = JSON.parse(readFileSync(file, 'utf8')) as GoldenPkg[];
  const type: PurlType = ['debian', 'ubuntu'].includes(os.family)
    ? 'deb'
    : os.family === 'alpine'
      ? 'apk'
      : 'rpm';
  return list.map((p) => {
    const version = evr(p.Version, p.Release, p.Epoch);
    const qualifiers: Record<string, string | undefined> = {
      arch: p.Arch,
      distro: `${os.family}-${os.fullVersion ?? os.version}`,
      ...(p.Epoch ? { epoch: String(p.Epoch) } : {}),
    };
    return {
      name: p.Name,
      version,
      type,
      purl: buildPurl(type, os.family, p.Name, evr(p.Version, p.Release), qualifiers),
      ...(p.SrcName ? { sourceName: p.SrcName } : {}),
      ...(p.SrcVersion ? { sourceVersion: evr(p.SrcVersion, p.SrcRelease, p.SrcEpoch) } : {}),
      ...(p.Layer?.DiffID ? { layer: p.Layer.DiffID } : {}),
    };
  });
}
