import { recordsFromFiles } from '../feed-files.js';
import type { AdvisoryRecord, AffectedPackage } from '../model.js';
import { isoOrNull, uniq } from '../model.js';
import { alternatives, looksLikeOval, type OvalCriterion, type OvalDefinition, parseOval } from '../oval.js';
import { rpm } from '../versions/rpm.js';
import { vendorEntry } from './common.js';
import type { Feed, FeedInput, FeedSink } from './types.js';

const RELEASE = /^Oracle Linux (\d+) is installed$/;
const EARLIER = /^(\S+) is earlier than (\S+)$/;
const ARCH = /^Oracle Linux arch is (\S+)$/;
const KSPLICE = / is ksplice-based$/;

/** The fixes one criteria branch states: release, arch (when the branch is per-arch) and packages. */
function branchFixes(alt: readonly OvalCriterion[]) {
  const release = alt.map((c) => RELEASE.exec(c.comment)?.[1]).find((r) => r !== undefined);
  const arch = alt.map((c) => ARCH.exec(c.comment)?.[1]).find((a) => a !== undefined);
  const ksplice = alt.some((c) => KSPLICE.test(c.comment));
  const packages = alt.flatMap((c) => {
    const m = EARLIER.exec(c.comment);
    return m ? [{ name: m[1]!, version: m[2]! }] : [];
  });
  return { release, arch, ksplice, packages };
}

function recordOf(def: OvalDefinition): AdvisoryRecord | undefined {
  const elsa = def.references.find((r) => r.source.toLowerCase() === 'elsa');
  const id = elsa?.id ?? /^\s*(ELSA-\d{4}-\d+)/.exec(def.title)?.[1];
  if (!id) return undefined;
  // release → package → arch ('' when the branch names none) → fixed EVR
  const fixes = new Map<string, Map<string, Map<string, string>>>();
  const ksplice: string[] = [];
  for (const alt of def.criteria ? alternatives(def.criteria) : []) {
    const branch = branchFixes(alt);
    if (!branch.release) continue;
    for (const pkg of branch.packages) {
      // a ksplice build's fix is not a version of the ordinary package: comparing them would misreport
      if (branch.ksplice || /ksplice/.test(pkg.version)) {
        ksplice.push(`${pkg.name} ${pkg.version}`);
        continue;
      }
      const byPkg = fixes.get(branch.release) ?? new Map<string, Map<string, string>>();
      fixes.set(branch.release, byPkg);
      const byArch = byPkg.get(pkg.name) ?? new Map<string, string>();
      byPkg.set(pkg.name, byArch);
      const arch = branch.arch ?? '';
      const had = byArch.get(arch);
      if (!had || rpm.compare(pkg.version, had) > 0) byArch.set(arch, pkg.version);
    }
  }
  const severity = def.severity ? [vendorEntry('oracle-oval', def.severity)] : [];
  const affected: AffectedPackage[] = [];
  const archFixes: Record<string, Record<string, string>> = {};
  for (const [release, byPkg] of fixes) {
    for (const [name, byArch] of byPkg) {
      const versions = [...new Set(byArch.values())].sort(rpm.compare);
      // arches fixed at different revisions: the highest fix counts, so that no arch is missed
      const fixed = versions[versions.length - 1]!;
      if (versions.length > 1) archFixes[`${release}/${name}`] = Object.fromEntries(byArch);
      affected.push({
        namespace: `rpm/oracle/${release}`,
        package: name,
        state: 'fixed',
        reason: null,
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }],
        versions: [],
        fixedVersion: fixed,
        severity: [],
      });
    }
  }
  const extra: Record<string, unknown> = {};
  if (Object.keys(archFixes).length > 0) extra.archFixes = archFixes;
  if (ksplice.length > 0) extra.ksplice = uniq(ksplice);
  return {
    source: 'oracle-oval',
    format: 'oracle-oval',
    id,
    aliases: def.cves.map((c) => c.id),
    title: def.title.replace(/\s+/g, ' ').trim() || null,
    severity,
    references: [...new Set([elsa?.url, ...def.cves.map((c) => c.href)].filter((u): u is string => !!u))],
    published: isoOrNull(def.issued),
    modified: isoOrNull(def.updated),
    withdrawn: null,
    affected,
    ...(Object.keys(extra).length > 0 ? { extra } : {}),
  };
}

/**
 * Oracle Linux ELSA OVAL (`com.oracle.elsa-all.xml`, per-release and per-advisory files): one patch definition
 * per ELSA, whose CVEs become aliases; "<pkg> is earlier than <EVR>" under "Oracle Linux N is installed" is a
 * fix in `rpm/oracle/N`. Ksplice builds are kept out of the rows (listed in `extra.ksplice`); where arches are
 * fixed at different revisions the highest is the row's fix and each arch's is kept in `extra.archFixes`.
 */
export const oracleOval = {
  name: 'oracle-oval',
  description: 'Oracle Linux ELSA OVAL (per-advisory definitions, fixed EVRs per release)',
  sniff(input: FeedInput): boolean {
    return (
      input.kind === 'text' &&
      looksLikeOval(input.text) &&
      /oval:com\.oracle\.elsa:/.test(input.text.slice(0, 16384))
    );
  },
  import(input: FeedInput, sink: FeedSink): void {
    for (const def of parseOval(input.text).definitions) {
      const record = recordOf(def);
      if (record) sink.add(record);
      else sink.drop(`${def.id}: no ELSA id`);
    }
  },
} satisfies Feed;

/** The Oracle ELSA records in these files or folders. */
export const readOracleOval = (paths: readonly string[]) => recordsFromFiles(oracleOval, paths);
