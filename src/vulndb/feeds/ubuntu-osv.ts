import type { AdvisoryRecord, AffectedPackage } from '../model.js';
import { uniq } from '../model.js';
import { strings } from './common.js';
import { distroOsvFeed } from './osv.js';

const PRO = /^deb\/ubuntu-pro\/(.+)$/;

/**
 * A package that only an Ubuntu Pro stream lists for a release gets a fix there alone (Canonical leaves the
 * base release out of the record): for the base release it stays unfixed, and will not be fixed.
 */
function proOnlyRows(affected: readonly AffectedPackage[], withdrawn: boolean): AffectedPackage[] {
  const have = new Set(affected.map((a) => `${a.namespace}\u0000${a.package}`));
  const out: AffectedPackage[] = [];
  for (const a of affected) {
    const release = PRO.exec(a.namespace)?.[1];
    if (!release) continue;
    const namespace = `deb/ubuntu/${release}`;
    const key = `${namespace}\u0000${a.package}`;
    if (have.has(key)) continue;
    have.add(key);
    out.push({
      namespace,
      package: a.package,
      state: withdrawn ? 'withdrawn' : 'will_not_fix',
      reason: 'fixed only in Ubuntu Pro',
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }],
      versions: [],
      fixedVersion: null,
      severity: [],
    });
  }
  return out;
}

/**
 * Ubuntu's OSV records (`UBUNTU-CVE-…` per CVE, `USN-…` per notice): one affected entry per release and
 * source package, Ubuntu Pro streams in their own namespaces, the priority as Ubuntu's severity.
 */
export const ubuntuOsv = distroOsvFeed({
  name: 'ubuntu-osv',
  description: 'Ubuntu OSV records (CVE and USN; base releases and Ubuntu Pro streams)',
  ids: /^(UBUNTU-CVE|USN)-/,
  amend(record: AdvisoryRecord, raw: Record<string, unknown>): void {
    record.source = 'ubuntu';
    // a USN's upstream names Ubuntu's CVE records (`UBUNTU-CVE-…`): the CVE they are about is an alias too
    const upstream = strings(raw.upstream).flatMap((u) => [u, u.replace(/^UBUNTU-(?=CVE-)/, '')]);
    record.aliases = uniq([...record.aliases, ...upstream]).filter((a) => a !== record.id);
    record.affected.push(
      ...proOnlyRows(
        record.affected,
        record.affected.some((a) => a.state === 'withdrawn'),
      ),
    );
  },
});
