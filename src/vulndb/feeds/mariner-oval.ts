import { recordsFromFiles } from '../feed-files.js';
import type { AdvisoryRecord, AffectedPackage, RangeEvent } from '../model.js';
import { isoOrNull } from '../model.js';
import { looksLikeOval, type OvalDefinition, type OvalDocument, type OvalTest, parseOval } from '../oval.js';
import { vendorEntry } from './common.js';
import type { Feed, FeedInput, FeedSink } from './types.js';

/** The release a package's EVR was built for, from its dist tag: `.cm2` is CBL-Mariner 2.0, `.azl3` Azure Linux 3.0. */
const DIST_TAGS: readonly { tag: RegExp; prefix: string }[] = [
  { tag: /\.cm(\d+)$/, prefix: 'rpm/mariner' },
  { tag: /\.azl(\d+)$/, prefix: 'rpm/azurelinux' },
];

function namespaceOf(evr: string): string | undefined {
  for (const { tag, prefix } of DIST_TAGS) {
    const m = tag.exec(evr);
    if (m) return `${prefix}/${m[1]}.0`;
  }
  return undefined;
}

/** A test's bound as a range event: `less than` fixes, `less than or equal` is the last affected, `greater than` opens. */
function eventOf(test: OvalTest): RangeEvent | undefined {
  if (!test.value) return undefined;
  switch (test.operation) {
    case 'less than':
      return { fixed: test.value };
    case 'less than or equal':
      return { last_affected: test.value };
    case 'greater than':
    case 'greater than or equal':
      return { introduced: test.value };
    default:
      return undefined;
  }
}

function rowsOf(def: OvalDefinition, doc: OvalDocument): AffectedPackage[] | string {
  const tests = (
    def.criteria ? [...def.criteria.criterions, ...def.criteria.criteria.flatMap((c) => c.criterions)] : []
  )
    .map((c) => doc.test(c.testRef))
    .filter((t): t is OvalTest => t?.name !== undefined);
  const name = tests[0]?.name;
  if (!name) return 'no package test';
  const events = tests.flatMap((t) => {
    const e = eventOf(t);
    return e ? [e] : [];
  });
  const namespace = tests.map((t) => namespaceOf(t.value ?? '')).find((n) => n !== undefined);
  if (!namespace) return `${name}: no release dist tag in ${tests.map((t) => t.value).join(', ')}`;
  const patchable = (def.extra.patchable ?? '').toLowerCase();
  const base = { namespace, package: name, versions: [], severity: [] };
  if (patchable === 'not applicable')
    return [{ ...base, state: 'not_affected', reason: 'not applicable', ranges: [], fixedVersion: null }];
  const fixed = events.find((e): e is { fixed: string } => 'fixed' in e)?.fixed ?? null;
  const introduced = events.find((e): e is { introduced: string } => 'introduced' in e);
  return [
    {
      ...base,
      state: fixed ? 'fixed' : 'affected',
      reason: fixed ? null : patchable === 'false' ? 'no patch available' : null,
      ranges: [
        {
          type: 'ECOSYSTEM',
          events: [introduced ?? { introduced: '0' }, ...events.filter((e) => !('introduced' in e))],
        },
      ],
      fixedVersion: fixed,
    },
  ];
}

/**
 * CBL-Mariner and Azure Linux OVAL (`cbl-mariner-2.0-oval.xml`, `azurelinux-3.0-oval.xml`): one vulnerability
 * definition per (CVE, package), the bounds in its tests' EVR states (`less than` fixed, `greater than` lower
 * bound, `less than or equal` with no patch yet); `patchable: Not Applicable` is not affected. The release comes
 * from the EVRs' dist tag.
 */
export const marinerOval = {
  name: 'mariner-oval',
  description: 'CBL-Mariner and Azure Linux OVAL (per CVE and package, EVR bounds, patchable state)',
  sniff(input: FeedInput): boolean {
    return (
      input.kind === 'text' &&
      looksLikeOval(input.text) &&
      /oval:com\.microsoft\.(cbl-mariner|azurelinux):/.test(input.text.slice(0, 16384))
    );
  },
  import(input: FeedInput, sink: FeedSink): void {
    const doc = parseOval(input.text);
    const records = new Map<string, AdvisoryRecord>();
    for (const def of doc.definitions) {
      if (def.class !== 'vulnerability') continue;
      const id = def.references.find((r) => r.source === 'CVE')?.id ?? /^(\S+)/.exec(def.title)?.[1];
      const rows = rowsOf(def, doc);
      if (!id || typeof rows === 'string') {
        sink.drop(`${def.id}: ${id ? rows : 'no vulnerability id'}`);
        continue;
      }
      const vendor = rows[0]!.namespace.startsWith('rpm/azurelinux/') ? 'azurelinux' : 'cbl-mariner';
      const severity = def.severity ? [vendorEntry(vendor, def.severity)] : [];
      for (const row of rows) row.severity = severity;
      const record = records.get(id) ?? {
        source: 'mariner-oval',
        format: 'mariner-oval',
        id,
        aliases: [],
        title: def.description || null,
        severity,
        references: def.references.map((r) => r.url).filter((u) => u),
        published: isoOrNull(def.extra.advisory_date),
        modified: null,
        withdrawn: null,
        affected: [],
      };
      record.affected.push(...rows);
      records.set(id, record);
    }
    for (const r of records.values()) sink.add(r);
  },
} satisfies Feed;

/** The CBL-Mariner / Azure Linux OVAL records in these files or folders. */
export const readMarinerOval = (paths: readonly string[]) => recordsFromFiles(marinerOval, paths);
