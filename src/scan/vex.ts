import { readFileSync } from 'node:fs';
import { errorMessage, UserInputError } from '../core/errors.js';
import { lookupTable } from '../core/lookup-table.js';
import { decodePercent } from '../core/percent.js';
import type { VulnerabilityFinding } from '../core/results.js';
import { normaliseReference } from '../image/reference-name.js';
import type { ScanInput } from './types.js';

/** A product of a statement: a package, or the artifact itself (an image, a project) with its subcomponents. */
export interface VexProduct {
  /** purl (or other identifier) of the product. */
  id: string;
  /** purls of the product's components the statement is about; empty = the product itself. */
  subcomponents: string[];
}

/** One VEX statement that suppresses: the vulnerability, the products and why. */
export interface VexStatement {
  vulnerability: string;
  /** What the statement is about; empty = every package. */
  products: VexProduct[];
  status: 'not_affected' | 'fixed';
  justification: string;
  /** The document it came from. */
  document: string;
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function openVex(doc: Json, name: string): VexStatement[] {
  const out: VexStatement[] = [];
  for (const s of Array.isArray(doc.statements) ? doc.statements : []) {
    if (!isObj(s)) continue;
    const status = str(s.status);
    if (status !== 'not_affected' && status !== 'fixed') continue;
    const v = s.vulnerability;
    const vuln = isObj(v) ? (str(v.name) ?? str(v['@id'])) : str(v);
    if (!vuln) continue;
    const products: VexProduct[] = [];
    for (const p of Array.isArray(s.products) ? s.products : []) {
      const id = isObj(p) ? str(p['@id']) : str(p);
      if (!id) continue;
      const subcomponents: string[] = [];
      if (isObj(p) && Array.isArray(p.subcomponents))
        for (const sub of p.subcomponents) {
          const sid = isObj(sub) ? str(sub['@id']) : str(sub);
          if (sid) subcomponents.push(sid);
        }
      products.push({ id, subcomponents });
    }
    const aliases =
      isObj(v) && Array.isArray(v.aliases) ? v.aliases.filter((a): a is string => typeof a === 'string') : [];
    const justification =
      [str(s.justification), str(s.impact_statement), str(s.status_notes)].filter(Boolean).join(': ') ||
      status;
    for (const id of [vuln, ...aliases])
      out.push({ vulnerability: id, products, status, justification, document: name });
  }
  return out;
}

const CDX_SUPPRESSING: Readonly<Record<string, 'not_affected' | 'fixed'>> = lookupTable({
  not_affected: 'not_affected',
  false_positive: 'not_affected',
  resolved: 'fixed',
  resolved_with_pedigree: 'fixed',
});

function cycloneDxVex(doc: Json, name: string): VexStatement[] {
  const refs = new Map<string, string>();
  const walk = (list: unknown) => {
    for (const c of Array.isArray(list) ? list : []) {
      if (!isObj(c)) continue;
      const ref = str(c['bom-ref']);
      const purl = str(c.purl);
      if (ref && purl) refs.set(ref, purl);
      walk(c.components);
    }
  };
  walk(doc.components);
  if (isObj(doc.metadata) && isObj(doc.metadata.component)) walk([doc.metadata.component]);
  const out: VexStatement[] = [];
  for (const v of Array.isArray(doc.vulnerabilities) ? doc.vulnerabilities : []) {
    if (!isObj(v) || !isObj(v.analysis)) continue;
    const status = CDX_SUPPRESSING[str(v.analysis.state) ?? ''];
    const id = str(v.id);
    if (!status || !id) continue;
    const products: VexProduct[] = [];
    for (const a of Array.isArray(v.affects) ? v.affects : []) {
      const ref = isObj(a) ? str(a.ref) : undefined;
      if (ref) products.push({ id: refs.get(ref) ?? ref, subcomponents: [] });
    }
    const justification =
      [str(v.analysis.justification), str(v.analysis.detail)].filter(Boolean).join(': ') ||
      str(v.analysis.state)!;
    out.push({ vulnerability: id, products, status, justification, document: name });
  }
  return out;
}

/** Read an OpenVEX or CycloneDX VEX (JSON) document: the statements that suppress (`not_affected`, `fixed`). */
export function loadVex(file: string): VexStatement[] {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UserInputError(file, `not a readable JSON VEX document: ${errorMessage(error)}`);
  }
  return parseVex(doc, file);
}

export function parseVex(doc: unknown, name: string): VexStatement[] {
  if (isObj(doc) && str(doc['@context'])?.includes('openvex')) return openVex(doc, name);
  if (isObj(doc) && doc.bomFormat === 'CycloneDX') return cycloneDxVex(doc, name);
  throw new UserInputError(name, 'neither an OpenVEX nor a CycloneDX VEX document');
}

/** purl without qualifiers and subpath; the version is compared only when the statement names one. */
function samePackage(statementPurl: string, pkgPurl: string): boolean {
  const a = decodePercent(statementPurl.replace(/[?#].*$/, ''));
  const b = decodePercent(pkgPurl.replace(/[?#].*$/, ''));
  if (a === b) return true;
  const hasVersion = /@[^/]+$/.test(a);
  return !hasVersion && b.replace(/@[^/]+$/, '') === a;
}

/** What the scanned artifact is, for statements whose product is the artifact rather than a package. */
export interface VexSubject {
  /** purls of the artifact itself: a project's own module, an SBOM's subject. */
  purls: string[];
  /** Image digests (image id and manifest digest), `sha256:…`. */
  digests: string[];
  /** Image repositories it is known by, normalised (`docker.io/library/app`, `registry.local/team/app`). */
  repositories: string[];
}

/** Repository of an image reference, normalised: `app:1.0` → `docker.io/library/app`, `host:5000/a/b@sha…` → `host:5000/a/b`. */
const repositoryOf = (ref: string) => normaliseReference(ref.toLowerCase()).name.replace(/:[^/]*$/, '');

/** The subject of a scan input: its own components, digests, and the repositories named by target and tags. */
export function vexSubject(input: ScanInput): VexSubject {
  const named = /^(?:docker|docker-daemon):(?:\/\/)?(.+)$/.exec(input.target)?.[1];
  const repositories = [...(named ? [named] : []), ...(input.repoTags ?? [])].map(repositoryOf);
  return {
    purls: input.components ?? [],
    digests: [input.digest, input.manifestDigest].filter((d): d is string => !!d).map((d) => d.toLowerCase()),
    repositories: [...new Set(repositories)],
  };
}

/**
 * Whether a product names the artifact: one of its own purls, or an OCI purl (`pkg:oci/NAME@DIGEST
 * ?repository_url=…`) with the image's digest, or without a digest, its name (and repository when given).
 */
function isArtifact(product: string, subject: VexSubject): boolean {
  if (subject.purls.some((p) => samePackage(product, p))) return true;
  const oci = /^pkg:oci\/([^@?#]+)(?:@([^?#]+))?(?:\?([^#]*))?/i.exec(product);
  if (!oci) return false;
  if (oci[2]) return subject.digests.includes(decodePercent(oci[2]).toLowerCase());
  const name = decodePercent(oci[1]!).toLowerCase();
  const url = new URLSearchParams(oci[3] ?? '').get('repository_url');
  const wanted = url ? repositoryOf(url.replace(/^[a-z]+:\/\//i, '')) : undefined;
  return subject.repositories.some(
    (r) => r.slice(r.lastIndexOf('/') + 1) === name && (!wanted || r === wanted),
  );
}

/**
 * Whether a product covers a package: the package itself; the artifact as a whole (no subcomponents); or the
 * artifact with the package among its subcomponents. A product naming another package with subcomponents (an
 * intermediate dependency) is not taken: without a dependency graph its claim cannot be checked.
 */
function covers(product: VexProduct, purl: string, subject: VexSubject): boolean {
  if (product.subcomponents.length === 0)
    return samePackage(product.id, purl) || isArtifact(product.id, subject);
  return isArtifact(product.id, subject) && product.subcomponents.some((sub) => samePackage(sub, purl));
}

const NO_SUBJECT: VexSubject = { purls: [], digests: [], repositories: [] };

/** The statement that suppresses a finding in the artifact `subject`, if any. */
export function vexFor(
  statements: readonly VexStatement[],
  f: VulnerabilityFinding,
  subject: VexSubject = NO_SUBJECT,
): VexStatement | undefined {
  return statements.find(
    (s) =>
      (s.vulnerability === f.id || f.aliases.includes(s.vulnerability)) &&
      (s.products.length === 0 || s.products.some((p) => covers(p, f.package.purl, subject))),
  );
}
