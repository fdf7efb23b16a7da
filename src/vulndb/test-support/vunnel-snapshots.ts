import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseSeverity } from '../../core/severity.js';
import type { AdvisoryRecord } from '../model.js';

/** vunnel's name for a distribution namespace prefix (`rpm/suse/15.1` is vunnel's `sles:15.1`). */
const VUNNEL_DISTROS: Readonly<Record<string, string>> = {
  'rpm/suse': 'sles',
  'rpm/oracle': 'ol',
  'rpm/mariner': 'mariner',
  'rpm/azurelinux': 'mariner',
  'rpm/amazon': 'amzn',
  'rpm/photon': 'photon',
};

/** A Bulkhead namespace in vunnel's spelling, or undefined for one vunnel has no name for. */
export function vunnelNamespace(namespace: string): string | undefined {
  const cut = namespace.lastIndexOf('/');
  const distro = VUNNEL_DISTROS[namespace.slice(0, cut)];
  return distro ? `${distro}:${namespace.slice(cut + 1)}` : undefined;
}

interface FixedIn {
  Name: string;
  Version: string;
  NamespaceName: string;
}

interface SnapshotVulnerability {
  Name: string;
  NamespaceName: string;
  Severity: string;
  FixedIn: FixedIn[];
}

/** Every vunnel OS-schema snapshot under a folder, with its path relative to the folder. */
export function readSnapshots(dir: string): { path: string; vulnerability: SnapshotVulnerability }[] {
  const out: { path: string; vulnerability: SnapshotVulnerability }[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.json')) {
        const doc = JSON.parse(readFileSync(p, 'utf8'));
        const v = doc?.item?.Vulnerability;
        if (!v || typeof v.Name !== 'string') throw new Error(`${p}: not a vunnel OS snapshot`);
        out.push({ path: relative(dir, p), vulnerability: v as SnapshotVulnerability });
      }
    }
  };
  walk(dir);
  return out;
}

/** RPM versions as equal: an explicit epoch of 0 is the same as none. */
const sameVersion = (a: string, b: string) => a.replace(/^0:/, '') === b.replace(/^0:/, '');

export interface SnapshotComparison {
  /** One check per snapshot's severity and per FixedIn entry. */
  checks: number;
  agreed: number;
  disagreements: string[];
}

/**
 * Compare imported records with vunnel's snapshots: for each snapshot the record of that id (or with it as an
 * alias) must have vunnel's severity, and for each FixedIn a row in that namespace and package with the same
 * fixed version (`None`: a row that is not fixed; `0`: a row that is not affected). Rows vunnel does not have
 * are not counted.
 */
export function compareWithSnapshots(records: readonly AdvisoryRecord[], dir: string): SnapshotComparison {
  const result: SnapshotComparison = { checks: 0, agreed: 0, disagreements: [] };
  const check = (ok: boolean, what: string) => {
    result.checks += 1;
    if (ok) result.agreed += 1;
    else result.disagreements.push(what);
  };
  for (const { path, vulnerability: v } of readSnapshots(dir)) {
    const mine = records.filter(
      (r) =>
        (r.id === v.Name || r.aliases.includes(v.Name)) &&
        r.affected.some((a) => vunnelNamespace(a.namespace) === v.NamespaceName),
    );
    const exact = mine.find((r) => r.id === v.Name) ?? mine[0];
    const severity = exact?.severity.find((s) => s.type === 'vendor') ?? exact?.severity[0];
    check(
      exact !== undefined && (severity?.severity ?? 'UNKNOWN') === parseSeverity(v.Severity),
      `${path}: severity ${v.Severity}, imported ${exact ? (severity?.value ?? 'none') : 'no record'}`,
    );
    const rows = mine
      .flatMap((r) => r.affected)
      .filter((a) => vunnelNamespace(a.namespace) === v.NamespaceName);
    for (const fix of v.FixedIn) {
      const row = rows.find((a) => a.package === fix.Name);
      const ok =
        row !== undefined &&
        (fix.Version === 'None'
          ? row.fixedVersion === null && row.state !== 'not_affected'
          : fix.Version === '0'
            ? row.state === 'not_affected'
            : row.state === 'fixed' &&
              row.fixedVersion !== null &&
              sameVersion(row.fixedVersion, fix.Version));
      check(
        ok,
        `${path}: ${fix.Name} ${fix.Version}, imported ${row ? `${row.state} ${row.fixedVersion}` : 'no row'}`,
      );
    }
  }
  return result;
}
