import { PackageURL } from 'packageurl-js';
import type { AdvisoryRecord, AffectedPackage } from '../model.js';
import { isoOrNull, uniq } from '../model.js';
import { redhatNamespace } from '../namespaces.js';
import { rpm } from '../versions/rpm.js';
import { cvssEntry, isRecord, str, vendorEntry } from './common.js';
import type { Feed, FeedInput, FeedSink } from './types.js';

/**
 * The RHEL stream a product CPE names: `cpe:/a:redhat:enterprise_linux:9::appstream` → `9`,
 * `cpe:/a:redhat:rhel_eus:9.4::baseos` → `9.4+eus`, `…:rhel_els:7` → `7+els`; undefined for other products
 * (SAP, AUS, TUS, E4S, layered products).
 */
export function streamOfCpe(cpe: string): string | undefined {
  const [, , vendor, product, version = ''] = cpe.split(':');
  if (vendor !== 'redhat') return undefined;
  const major = /^(\d+)(?:\.\d+)?$/.exec(version);
  if (product === 'enterprise_linux' && major) return major[1];
  if (product === 'rhel_eus' && /^\d+\.\d+$/.test(version)) return `${version}+eus`;
  if (product === 'rhel_els' && major) return `${major[1]}+els`;
  return undefined;
}

type Branch = { category?: unknown; product?: unknown; branches?: unknown };

/** product id → its CPE (products) or purl (package versions), from the product tree's branches. */
function helpers(tree: Record<string, unknown>): Map<string, { cpe?: string; purl?: string }> {
  const out = new Map<string, { cpe?: string; purl?: string }>();
  const walk = (branches: unknown) => {
    for (const b of Array.isArray(branches) ? (branches as Branch[]) : []) {
      if (isRecord(b.product)) {
        const id = str(b.product.product_id);
        const h = isRecord(b.product.product_identification_helper)
          ? b.product.product_identification_helper
          : {};
        const cpe = str(h.cpe);
        const purl = str(h.purl);
        if (id) out.set(id, { ...(cpe ? { cpe } : {}), ...(purl ? { purl } : {}) });
      }
      walk(b.branches);
    }
  };
  walk(tree.branches);
  return out;
}

/** A fixed package of a relationship: its RHEL stream, binary name (modular: `module:stream/name`) and EVR. */
function fixedPackage(
  rel: Record<string, unknown>,
  known: Map<string, { cpe?: string; purl?: string }>,
): { id: string; namespace: string; name: string; evr: string; source: boolean } | undefined {
  const full = isRecord(rel.full_product_name) ? str(rel.full_product_name.product_id) : undefined;
  const product = str(rel.relates_to_product_reference) ?? '';
  const cpe = known.get(product)?.cpe;
  const purlText = known.get(str(rel.product_reference) ?? '')?.purl;
  // an EUS stream's products name it (`AppStream-9.4.0.Z.MAIN.EUS`) where their CPE names the major only
  const eus = /-(\d+)\.(\d+)\.\d+\.Z\.(?:MAIN\.)?EUS$/.exec(product);
  const stream = eus ? `${eus[1]}.${eus[2]}+eus` : cpe ? streamOfCpe(cpe) : undefined;
  if (!full || !stream || !purlText) return undefined;
  let purl: PackageURL;
  try {
    purl = PackageURL.fromString(purlText);
  } catch {
    return undefined;
  }
  const q = purl.qualifiers ?? {};
  if (purl.type !== 'rpm' || !purl.version) return undefined;
  const module = q.rpmmod?.split(':').slice(0, 2).join(':');
  return {
    id: full,
    namespace: redhatNamespace(stream),
    name: module ? `${module}/${purl.name}` : purl.name,
    evr: `${q.epoch ?? '0'}:${purl.version}`,
    source: q.arch === 'src',
  };
}

/**
 * Red Hat's CSAF advisories (one RHSA per document, `security.access.redhat.com/data/csaf/v2/advisories/`):
 * per CVE, the products fixed, each a binary RPM of a RHEL stream with its fixed EVR in the purl.
 */
export const redhatCsaf = {
  name: 'redhat-csaf',
  description: "Red Hat's CSAF 2.0 advisories (RHSA: fixed binary packages per RHEL stream)",
  sniff(input: FeedInput): boolean {
    const d = input.doc;
    if (!isRecord(d) || !isRecord(d.document) || !isRecord(d.product_tree)) return false;
    const publisher = isRecord(d.document.publisher) ? str(d.document.publisher.name) : undefined;
    return str(d.document.csaf_version) !== undefined && /red hat/i.test(publisher ?? '');
  },
  import(input: FeedInput, sink: FeedSink): void {
    const d = input.doc as Record<string, unknown>;
    const document = d.document as Record<string, unknown>;
    const tracking = isRecord(document.tracking) ? document.tracking : {};
    const id = str(tracking.id);
    if (!id) {
      sink.drop('CSAF document without a tracking id');
      return;
    }
    const tree = d.product_tree as Record<string, unknown>;
    const known = helpers(tree);
    const packages = new Map<string, { namespace: string; name: string; evr: string; source: boolean }>();
    for (const rel of Array.isArray(tree.relationships) ? tree.relationships : []) {
      const p = isRecord(rel) ? fixedPackage(rel, known) : undefined;
      if (p) packages.set(p.id, p);
    }
    const rows = new Map<string, AffectedPackage>();
    const cves: string[] = [];
    const severity = [];
    const aggregate = isRecord(document.aggregate_severity)
      ? str(document.aggregate_severity.text)
      : undefined;
    if (aggregate) severity.push(vendorEntry('redhat', aggregate));
    for (const v of Array.isArray(d.vulnerabilities) ? d.vulnerabilities : []) {
      if (!isRecord(v)) continue;
      const cve = str(v.cve);
      if (cve) cves.push(cve);
      for (const s of Array.isArray(v.scores) ? v.scores : []) {
        const vector = isRecord(s) && isRecord(s.cvss_v3) ? str(s.cvss_v3.vectorString) : undefined;
        if (vector && !severity.some((e) => e.value === vector)) severity.push(cvssEntry('redhat', vector));
      }
      const fixed =
        isRecord(v.product_status) && Array.isArray(v.product_status.fixed) ? v.product_status.fixed : [];
      // binary packages are what an image has installed; an advisory that lists only source packages (newer
      // documents do) is read by those, named like the binaries built from them
      const listed = fixed.map((productId) => packages.get(String(productId))).filter((p) => p !== undefined);
      const binaries = listed.filter((p) => !p.source);
      for (const p of binaries.length ? binaries : listed) {
        const key = `${p.namespace}\u0000${p.name}`;
        const prior = rows.get(key);
        if (prior?.fixedVersion && rpm.compare(prior.fixedVersion, p.evr) >= 0) continue;
        rows.set(key, {
          namespace: p.namespace,
          package: p.name,
          state: 'fixed',
          reason: null,
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: p.evr }] }],
          versions: [],
          fixedVersion: p.evr,
          severity: [],
        });
      }
    }
    const record: AdvisoryRecord = {
      source: 'redhat-csaf',
      format: 'redhat-csaf',
      id,
      aliases: uniq(cves),
      title: str(document.title) ?? null,
      severity,
      references: [`https://access.redhat.com/errata/${id}`],
      published: isoOrNull(tracking.initial_release_date),
      modified: isoOrNull(tracking.current_release_date),
      withdrawn: null,
      affected: [...rows.values()],
    };
    sink.add(record);
  },
} satisfies Feed;
