import { PackageURL } from 'packageurl-js';
import { errorMessage, UserInputError } from '../core/errors.js';
import { readInputText } from '../core/input-file.js';
import { decodePercent } from '../core/percent.js';
import { isOsPackageType } from '../core/results.js';
import { releaseOf } from '../sbom/os.js';
import { type OsInfo, type Package, PURL_TYPES, type PurlType } from '../sbom/types.js';
import type { ScanInput } from './types.js';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const MAX_SBOM_BYTES = 256 << 20;

interface Extra {
  sourceName?: string;
  sourceVersion?: string;
  layer?: string;
  path?: string;
}

/** A package from its purl; undefined for purl types Bulkhead does not match. */
export function packageFromPurl(purl: string, extra: Extra = {}): Package | undefined {
  let p: PackageURL;
  try {
    p = PackageURL.fromString(purl);
  } catch {
    return undefined;
  }
  if (!(PURL_TYPES as readonly string[]).includes(p.type) || !p.version) return undefined;
  const type = p.type as PurlType;
  const os = isOsPackageType(type);
  const name = os || !p.namespace ? p.name : `${p.namespace}${type === 'maven' ? ':' : '/'}${p.name}`;
  const epoch = p.qualifiers?.epoch;
  const version =
    os && epoch && epoch !== '0' && !/^\d+:/.test(p.version) ? `${epoch}:${p.version}` : p.version;
  return {
    name,
    version,
    type,
    purl,
    ...(extra.sourceName ? { sourceName: extra.sourceName } : {}),
    ...(extra.sourceVersion ? { sourceVersion: extra.sourceVersion } : {}),
    ...(extra.layer ? { layer: extra.layer } : {}),
    ...(extra.path ? { path: extra.path } : {}),
  };
}

/** The OS from a distro qualifier (`debian-10.1`, `centos-7.6.1810`, `alpine-3.19.1`). */
function osFromDistro(distro: string | undefined): OsInfo | undefined {
  const m = distro ? /^([a-z][a-z-]*?)-(\d[\w.]*)$/.exec(distro) : null;
  if (!m) return undefined;
  return osInfo(m[1]!, m[2]!);
}

function osInfo(family: string, full: string): OsInfo {
  const fam = family.toLowerCase() === 'rhel' ? 'redhat' : family.toLowerCase();
  const version = releaseOf(fam, full);
  return { family: fam, version, ...(full !== version ? { fullVersion: full } : {}) };
}

function props(list: unknown): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of Array.isArray(list) ? list : []) {
    if (isObj(p) && str(p.name) && typeof p.value === 'string') out.set(p.name as string, p.value);
  }
  return out;
}

function srcVersion(version?: string, release?: string, epoch?: string): string | undefined {
  if (!version) return undefined;
  const v = release ? `${version}-${release}` : version;
  return epoch && epoch !== '0' ? `${epoch}:${v}` : v;
}

type Parsed = { os?: OsInfo; packages: Package[]; components?: string[] };

/** A list the format requires to be one: absent is empty, anything else than an array is a broken SBOM. */
function listOf(name: string, where: string, value: unknown): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new UserInputError(name, `${where} is not a list: not a valid SBOM`);
  return value;
}

/**
 * The component's own name and version strings in place of the equal ones decoded from its purl: JSON.parse
 * gives a short value once for the whole document, a decoded purl a new string per package (~9 MB of heap over
 * 200,000 components that share a version).
 */
function sharedStrings(pkg: Package, c: Json): Package {
  if (c.name === pkg.name) pkg.name = c.name;
  if (c.version === pkg.version) pkg.version = c.version;
  return pkg;
}

function fromCycloneDx(doc: Json, name: string): Parsed {
  const packages: Package[] = [];
  let os: OsInfo | undefined;
  // iterative, depth first in document order: a deeply nested component tree cannot overflow the stack
  const walk = (top: unknown[], where: string) => {
    const stack: { list: unknown[]; at: number; where: string }[] = [{ list: top, at: 0, where }];
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      if (frame.at >= frame.list.length) {
        stack.pop();
        continue;
      }
      const i = frame.at++;
      const c = frame.list[i];
      if (!isObj(c))
        throw new UserInputError(name, `${frame.where}[${i}] is not an object: not a valid SBOM`);
      if (c.type === 'operating-system' && str(c.name) && str(c.version))
        os = osInfo(str(c.name)!, str(c.version)!);
      const purl = str(c.purl);
      if (purl) {
        const pr = props(c.properties);
        const pkg = packageFromPurl(purl, {
          sourceName: pr.get('bulkhead:package:source-name') ?? pr.get('aquasecurity:trivy:SrcName'),
          sourceVersion:
            pr.get('bulkhead:package:source-version') ??
            srcVersion(
              pr.get('aquasecurity:trivy:SrcVersion'),
              pr.get('aquasecurity:trivy:SrcRelease'),
              pr.get('aquasecurity:trivy:SrcEpoch'),
            ),
          layer: pr.get('bulkhead:layer:diff-id') ?? pr.get('aquasecurity:trivy:LayerDiffID'),
          path: pr.get('bulkhead:package:path') ?? pr.get('aquasecurity:trivy:FilePath'),
        });
        if (pkg) packages.push(sharedStrings(pkg, c));
      }
      const inner = `${frame.where}[${i}].components`;
      const children = listOf(name, inner, c.components);
      if (children.length > 0) stack.push({ list: children, at: 0, where: inner });
    }
  };
  const subject = isObj(doc.metadata) && isObj(doc.metadata.component) ? doc.metadata.component : undefined;
  walk(subject ? [subject] : [], 'metadata.component');
  walk(listOf(name, 'components', doc.components), 'components');
  const subjectPurl = str(subject?.purl);
  return { ...(os ? { os } : {}), packages, ...(subjectPurl ? { components: [subjectPurl] } : {}) };
}

function sourceInfo(text: string | undefined): { name?: string; version?: string } {
  const m = text ? /built package from:\s*(\S+)\s+(\S+)/.exec(text) : null;
  return m ? { name: m[1]!, version: m[2]! } : {};
}

function fromSpdxJson(doc: Json, name: string): { os?: OsInfo; packages: Package[] } {
  const packages: Package[] = [];
  let os: OsInfo | undefined;
  for (const [i, p] of listOf(name, 'packages', doc.packages).entries()) {
    if (!isObj(p)) throw new UserInputError(name, `packages[${i}] is not an object: not a valid SBOM`);
    if (p.primaryPackagePurpose === 'OPERATING-SYSTEM' && str(p.name) && str(p.versionInfo))
      os = osInfo(str(p.name)!, str(p.versionInfo)!);
    for (const ref of Array.isArray(p.externalRefs) ? p.externalRefs : []) {
      if (!isObj(ref) || ref.referenceType !== 'purl' || !str(ref.referenceLocator)) continue;
      const src = sourceInfo(str(p.sourceInfo));
      const pkg = packageFromPurl(str(ref.referenceLocator)!, { sourceName: src.name });
      if (pkg) packages.push(pkg);
    }
  }
  return { ...(os ? { os } : {}), packages };
}

function fromSpdxTagValue(text: string): { os?: OsInfo; packages: Package[] } {
  const packages: Package[] = [];
  let os: OsInfo | undefined;
  for (const block of text.split(/^(?=PackageName:)/m)) {
    const name = /^PackageName:\s*(.+)$/m.exec(block)?.[1]?.trim();
    const version = /^PackageVersion:\s*(.+)$/m.exec(block)?.[1]?.trim();
    const purl = /^ExternalRef:\s*PACKAGE[-_]MANAGER\s+purl\s+(\S+)/m.exec(block)?.[1];
    if (/SPDXID:\s*SPDXRef-OperatingSystem/.test(block) && name && version) os = osInfo(name, version);
    if (!purl) continue;
    const src = sourceInfo(/^PackageSourceInfo:\s*(.+)$/m.exec(block)?.[1]);
    const pkg = packageFromPurl(purl, { sourceName: src.name });
    if (pkg) packages.push(pkg);
  }
  return { ...(os ? { os } : {}), packages };
}

/** An in-toto statement (or DSSE envelope of one) carrying an SBOM predicate. */
function unwrapAttestation(doc: Json, name: string): unknown {
  if (str(doc.payload) && str(doc.payloadType)) {
    let inner: unknown;
    try {
      inner = JSON.parse(Buffer.from(str(doc.payload)!, 'base64').toString('utf8'));
    } catch (error) {
      throw new UserInputError(name, `DSSE envelope whose payload is not JSON: ${errorMessage(error)}`);
    }
    return isObj(inner) ? unwrapAttestation(inner, name) : inner;
  }
  if (str(doc._type)?.includes('in-toto') && 'predicate' in doc) {
    const pred = doc.predicate;
    return isObj(pred) && isObj(pred.Data) ? pred.Data : pred;
  }
  return doc;
}

/**
 * Read an SBOM instead of an image (`sbom:PATH`): CycloneDX JSON, SPDX 2.x JSON or tag-value, or an in-toto
 * attestation carrying one. Packages come from their purls; the OS from the operating-system component or
 * the purls' `distro` qualifier.
 */
export function readSbom(file: string): ScanInput {
  let text: string;
  try {
    text = readInputText(file, { maxBytes: MAX_SBOM_BYTES, what: 'an SBOM file' });
  } catch (error) {
    if (error instanceof UserInputError) throw error;
    throw new UserInputError(file, `cannot read the SBOM: ${errorMessage(error)}`);
  }
  const parsed = parseSbom(text, file);
  return { target: `sbom:${file}`, ...parsed };
}

export function parseSbom(text: string, name: string): Parsed {
  if (/^\s*SPDXVersion:/m.test(text) && !text.trimStart().startsWith('{'))
    return withOs(fromSpdxTagValue(text));
  let doc: unknown;
  try {
    const first =
      text
        .trimStart()
        .split('\n')
        .find((l) => l.trim() !== '') ?? '';
    doc =
      first.trim().startsWith('{') && first.trim().endsWith('}') && text.trim().includes('\n{')
        ? JSON.parse(first)
        : JSON.parse(text);
  } catch (error) {
    throw new UserInputError(name, `not a JSON or SPDX tag-value SBOM: ${errorMessage(error)}`);
  }
  if (isObj(doc)) doc = unwrapAttestation(doc, name);
  if (isObj(doc) && doc.bomFormat === 'CycloneDX') return withOs(fromCycloneDx(doc, name));
  if (isObj(doc) && str(doc.spdxVersion)) return withOs(fromSpdxJson(doc, name));
  throw new UserInputError(name, 'neither a CycloneDX nor an SPDX document');
}

function withOs(r: Parsed): Parsed {
  if (r.os) return r;
  for (const p of r.packages) {
    const distro = /[?&]distro=([^&#]+)/.exec(p.purl)?.[1];
    const os = osFromDistro(distro ? decodePercent(distro) : undefined);
    if (os) return { ...r, os };
  }
  return r;
}
