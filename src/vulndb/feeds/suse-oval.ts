import { recordsFromFiles } from '../feed-files.js';
import type { AdvisoryRecord, AffectedPackage } from '../model.js';
import { isoOrNull } from '../model.js';
import { alternatives, looksLikeOval, type OvalDefinition, type OvalDocument, parseOval } from '../oval.js';
import { cvssEntry, vendorEntry } from './common.js';
import type { Feed, FeedInput, FeedSink } from './types.js';

/**
 * The products whose namespaces the feed fills: the criterion naming the product, and the namespace prefix of
 * the release its test compares (`sles-release is ==15.1` → `rpm/suse/15.1`). SUSE's modules and other
 * products (SAP, HPC, Desktop) are not container bases and are left out, as other importers of this data do.
 */
const PRODUCTS: readonly { comment: RegExp; prefix: string }[] = [
  { comment: /^SUSE Linux Enterprise Server \d+.* is installed$/, prefix: 'rpm/suse' },
  { comment: /^openSUSE Leap \d+.* is installed$/, prefix: 'rpm/opensuse-leap' },
];

interface Product {
  namespace: string;
  /** Long-term service packs are not sold as container images: their row gives way to the plain release's. */
  ltss: boolean;
}

function productOf(doc: OvalDocument, testRef: string, comment: string): Product | undefined {
  const kind = PRODUCTS.find((p) => p.comment.test(comment));
  if (!kind) return undefined;
  const test = doc.test(testRef);
  const release = test?.value;
  if (!release || !/^\d+(\.\d+)*$/.test(release)) return undefined;
  return { namespace: `${kind.prefix}/${release}`, ltss: /ltss/i.test(`${test.name ?? ''} ${comment}`) };
}

/** A package criterion as a row: `<pkg> is <evr` (fixed in that EVR) or `<pkg> is not affected` (version 0). */
function packageRow(
  doc: OvalDocument,
  testRef: string,
  namespace: string,
): Omit<AffectedPackage, 'severity'> | undefined {
  const test = doc.test(testRef);
  if (!test?.name || test.value === undefined) return undefined;
  const base = { namespace, package: test.name, versions: [] };
  if (test.value === '0' && (test.operation ?? 'equals') === 'equals')
    return { ...base, state: 'not_affected', reason: 'not affected', ranges: [], fixedVersion: null };
  // `less than` as the schema says; an EVR state with an operation out of the schema is read the same way
  if (test.field === 'evr' && !/^(equals|greater than|greater than or equal)$/.test(test.operation ?? ''))
    return {
      ...base,
      state: 'fixed',
      reason: null,
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: test.value }] }],
      fixedVersion: test.value,
    };
  return undefined;
}

function recordOf(def: OvalDefinition, doc: OvalDocument): AdvisoryRecord | undefined {
  const id = def.title.trim();
  if (!/^(CVE|SUSE)-/.test(id)) return undefined;
  const rows = new Map<string, { row: AffectedPackage; ltss: boolean }>();
  for (const alt of def.criteria ? alternatives(def.criteria) : []) {
    const products = alt.flatMap((c) => {
      const p = productOf(doc, c.testRef, c.comment);
      return p ? [p] : [];
    });
    for (const product of products) {
      for (const c of alt) {
        // product criteria resolve to a release state (`equals 15.1`), never to a package row
        if (PRODUCTS.some((p) => p.comment.test(c.comment))) continue;
        const row = packageRow(doc, c.testRef, product.namespace);
        if (!row) continue;
        const key = `${row.namespace}\u0000${row.package}`;
        const had = rows.get(key);
        if (had && !(had.ltss && !product.ltss)) continue;
        rows.set(key, { row: { ...row, severity: [] }, ltss: product.ltss });
      }
    }
  }
  const link = def.references.find((r) => r.source === 'SUSE CVE')?.url;
  const severity = [
    ...(def.severity ? [vendorEntry('suse-cvrf', def.severity)] : []),
    ...def.cves.flatMap((c) => {
      const vector = c.cvss3?.slice(c.cvss3.indexOf('CVSS:'));
      return vector?.startsWith('CVSS:') ? [cvssEntry('suse-cvrf', vector)] : [];
    }),
  ];
  return {
    source: 'suse-oval',
    format: 'suse-oval',
    id,
    aliases: [],
    title: def.description || null,
    severity,
    references: [...new Set([link, ...def.references.map((r) => r.url)].filter((u): u is string => !!u))],
    published: isoOrNull(def.issued),
    modified: isoOrNull(def.updated),
    withdrawn: null,
    affected: [...rows.values()].map((r) => r.row),
  };
}

/**
 * SUSE's OVAL (`suse.linux.enterprise.server.15.xml`, `opensuse.leap.15.5.xml`): one vulnerability definition per
 * CVE; each "<product> is installed AND <package> is <EVR" branch gives a row in the product's release, with
 * the fixed EVR from the test's state; "<package> is not affected" is a row that is not affected.
 */
export const suseOval = {
  name: 'suse-oval',
  description: 'SUSE Linux Enterprise and openSUSE Leap OVAL (per-CVE definitions, fixed EVRs per release)',
  sniff(input: FeedInput): boolean {
    return (
      input.kind === 'text' &&
      looksLikeOval(input.text) &&
      /oval:org\.opensuse\.security:/.test(input.text.slice(0, 16384))
    );
  },
  import(input: FeedInput, sink: FeedSink): void {
    const doc = parseOval(input.text);
    for (const def of doc.definitions) {
      if (def.class !== 'vulnerability') continue;
      const record = recordOf(def, doc);
      if (record) sink.add(record);
      else sink.drop(`${def.id}: no CVE id in the title "${def.title}"`);
    }
  },
} satisfies Feed;

/** The SUSE OVAL records in these files or folders. */
export const readSuseOval = (paths: readonly string[]) => recordsFromFiles(suseOval, paths);
