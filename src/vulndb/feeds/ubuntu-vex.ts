import { PackageURL } from 'packageurl-js';
import type { AdvisoryRecord, AdvisoryState, AffectedPackage } from '../model.js';
import { uniq } from '../model.js';
import { UBUNTU_RELEASES, ubuntuNamespace } from '../namespaces.js';
import { isRecord, str } from './common.js';
import type { Feed, FeedInput, FeedSink } from './types.js';

/**
 * Canonical words a decision not to fix in the opening of an `affected` statement's action statement ("…the
 * Ubuntu Security Team decided to not fix it"); an unsupported package ("…is no longer supported") is end of
 * life. The other openings ("…needs fixing") leave it affected.
 */
function affectedState(action: string): { state: AdvisoryState; reason: string | null } {
  if (/^This package \(for the given release\) is vulnerable to the CVE, .*decided to not fix/i.test(action))
    return { state: 'will_not_fix', reason: 'Ubuntu decided not to fix' };
  if (/^This package \(for the given release\) is no longer supported/i.test(action))
    return { state: 'end_of_life', reason: 'no longer supported' };
  return { state: 'affected', reason: null };
}

/** `jammy` → `deb/ubuntu/22.04`; `esm-apps/bionic`, `esm-infra-legacy/trusty` → `deb/ubuntu-pro/…`. */
function namespaceOf(distro: string | undefined): string | undefined {
  if (!distro) return undefined;
  const [head = '', tail] = distro.split('/');
  const version = UBUNTU_RELEASES[(tail ?? head).toLowerCase()];
  return version ? ubuntuNamespace(version, tail !== undefined && /^esm/.test(head)) : undefined;
}

/** The source package a product purl names (`?arch=source`), with its release and version. */
function sourceOf(id: string): { namespace: string; name: string; version?: string } | undefined {
  let purl: PackageURL;
  try {
    purl = PackageURL.fromString(id);
  } catch {
    return undefined;
  }
  if (purl.type !== 'deb' || purl.namespace !== 'ubuntu' || purl.qualifiers?.arch !== 'source')
    return undefined;
  const namespace = namespaceOf(purl.qualifiers?.distro);
  return namespace
    ? { namespace, name: purl.name, ...(purl.version ? { version: purl.version } : {}) }
    : undefined;
}

const isUbuntuVex = (d: unknown): d is Record<string, unknown> =>
  isRecord(d) &&
  /openvex/.test(String(d['@context'] ?? '')) &&
  Array.isArray(d.statements) &&
  d.statements.some(
    (s) =>
      isRecord(s) &&
      Array.isArray(s.products) &&
      s.products.some((p) => isRecord(p) && String(p['@id'] ?? '').startsWith('pkg:deb/ubuntu/')),
  );

/**
 * Canonical's OpenVEX documents (one per CVE): per release pocket and source package, whether it is affected,
 * not affected, or will not be fixed (the action statement's words). `fixed` statements are not read: their
 * purl carries the pocket's current version, not the fix (Ubuntu's OSV records give that). Binary package
 * products are not read either: the statement about the source package says the same.
 */
export const ubuntuVex = {
  name: 'ubuntu-vex',
  description: "Canonical's OpenVEX documents for Ubuntu (fixed / affected / not affected / won't fix)",
  sniff: (input: FeedInput) => isUbuntuVex(input.doc),
  import(input: FeedInput, sink: FeedSink): void {
    const doc = input.doc as Record<string, unknown>;
    const records = new Map<string, AdvisoryRecord>();
    for (const s of doc.statements as unknown[]) {
      if (!isRecord(s) || !isRecord(s.vulnerability)) continue;
      const id = str(s.vulnerability.name);
      if (!id) {
        sink.drop('VEX statement without a vulnerability name');
        continue;
      }
      let record = records.get(id);
      if (!record) {
        record = {
          source: 'ubuntu-vex',
          format: 'ubuntu-vex',
          id,
          aliases: [],
          title: null,
          severity: [],
          references: [`https://ubuntu.com/security/${id}`],
          published: null,
          modified: str(doc.timestamp) ?? null,
          withdrawn: null,
          affected: [],
        };
        records.set(id, record);
      }
      const status = str(s.status);
      for (const p of Array.isArray(s.products) ? s.products : []) {
        const src = isRecord(p) ? sourceOf(String(p['@id'] ?? '')) : undefined;
        if (!src) continue;
        const base = { namespace: src.namespace, package: src.name, versions: [], severity: [] };
        let row: AffectedPackage;
        if (status === 'not_affected') {
          // `component_not_present`: the release does not ship the package, so there is nothing to state
          if (str(s.justification) === 'component_not_present') continue;
          row = {
            ...base,
            state: 'not_affected',
            reason: str(s.justification) ?? null,
            ranges: [],
            fixedVersion: null,
          };
        } else if (status === 'affected' || status === 'under_investigation') {
          const decided =
            status === 'affected'
              ? affectedState(str(s.action_statement) ?? '')
              : { state: 'affected' as const, reason: 'under investigation' };
          row = {
            ...base,
            ...decided,
            ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }],
            fixedVersion: null,
          };
        } else continue; // `fixed`: the purl's version is the pocket's current one, not the fix; OSV has that
        record.affected.push(row);
      }
      record.aliases = uniq(
        Array.isArray(s.vulnerability.aliases) ? s.vulnerability.aliases.map((a) => str(a)) : [],
      ).filter((a) => a !== id);
    }
    for (const r of records.values()) sink.add(r);
  },
} satisfies Feed;
