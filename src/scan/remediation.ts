import { compareText } from '../core/collate.js';
import { lookupTable } from '../core/lookup-table.js';
import type { VulnerabilityFinding } from '../core/results.js';
import { isOsPackageType } from '../core/results.js';
import { schemeOf } from './namespace.js';
import type { FixUnit } from './types.js';

const UNFIXED: Readonly<Record<string, string>> = lookupTable({
  affected: 'no fixed version published yet',
  will_not_fix: 'the vendor will not fix this in this release',
  fix_deferred: 'the vendor deferred the fix',
  end_of_life: 'the release is end of life for this package: move to a supported release',
});

/**
 * What a person does about one finding.
 * @example 'upgrade libssl1.1 1.1.1d-0+deb10u2 → 1.1.1n-0+deb10u1 (source openssl)'
 */
export function findingRemediation(f: VulnerabilityFinding): string {
  const source =
    f.package.sourceName && f.package.sourceName !== f.package.name
      ? ` (source ${f.package.sourceName})`
      : '';
  const where = f.layerInstruction ? `; added by \`${f.layerInstruction}\`` : '';
  if (f.status === 'fixed' && f.fixedVersion) {
    return `upgrade ${f.package.name} ${f.package.version} → ${f.fixedVersion}${source}${where}`;
  }
  const reason = f.statusReason ? ` (${f.statusReason})` : '';
  return `${f.status}: ${UNFIXED[f.status] ?? 'no fix'}${reason}${where}`;
}

/** Highest of several fixed versions with the package's scheme ("a, b" lists: the first of each). */
function highest(type: string, versions: string[]): string {
  const scheme = schemeOf(isOsPackageType(type) ? `${type}/any/0` : type === 'golang' ? 'go' : type);
  const list = versions.map((v) => v.split(',')[0]!.trim());
  return list.reduce((a, b) => (scheme && scheme.compare(b, a) > 0 ? b : a));
}

/**
 * Group fixable findings into fix units: one upgrade (of the source package for distro packages, else of the
 * package at its path) to the highest fixed version closes every finding in the unit. Sorted by how many
 * findings a unit closes.
 */
export function fixUnits(findings: readonly VulnerabilityFinding[]): FixUnit[] {
  const groups = new Map<string, VulnerabilityFinding[]>();
  for (const f of findings) {
    if (f.status !== 'fixed' || !f.fixedVersion) continue;
    const os = isOsPackageType(f.package.type);
    const unit = os ? (f.package.sourceName ?? f.package.name) : f.package.name;
    const key = `${f.package.type}\u0000${unit}\u0000${os ? '' : `${f.package.version}\u0000${f.path ?? ''}`}`;
    const list = groups.get(key) ?? [];
    list.push(f);
    groups.set(key, list);
  }
  const units: FixUnit[] = [];
  for (const list of groups.values()) {
    const first = list[0]!;
    const os = isOsPackageType(first.package.type);
    const name = os ? (first.package.sourceName ?? first.package.name) : first.package.name;
    const to = highest(
      first.package.type,
      list.map((f) => f.fixedVersion!),
    );
    const packages = [...new Set(list.map((f) => f.package.name))].sort();
    const closes = [...new Set(list.map((f) => f.id))].sort();
    const binaries = packages.length > 1 || packages[0] !== name ? ` (${packages.join(', ')})` : '';
    units.push({
      package: name,
      type: first.package.type,
      from: first.package.version,
      to,
      packages,
      closes,
      remediation: `upgrade ${os ? `source package ${name}` : name} ${first.package.version} → ${to}${binaries}: closes ${closes.length} finding${closes.length === 1 ? '' : 's'}`,
    });
  }
  return units.sort((a, b) => b.closes.length - a.closes.length || compareText(a.package, b.package));
}
