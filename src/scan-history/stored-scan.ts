import type { Kysely } from 'kysely';
import { UserInputError } from '../core/errors.js';
import { resourceKey, resourceLabel } from '../core/resource.js';
import type { VulnerabilityFinding } from '../core/results.js';
import { isSeverity, type Severity } from '../core/severity.js';
import { listControlResults, passCounts, type StoredControlResult } from '../store/control-results.js';
import { listScanFindings } from '../store/findings.js';
import { getScan, type ScanRecord } from '../store/scans.js';
import type { Database } from '../store/schema.js';

/** Kinds whose results are vulnerability findings; every other kind stores control results. */
const FINDING_KINDS: Readonly<Record<string, string>> = { image: 'image', 'image-rematch': 'image' };

/** What two scans must share to be compared: a re-match of an image compares with a scan of an image. */
export const kindFamily = (kind: string): string => FINDING_KINDS[kind] ?? kind;

/**
 * One stored result, the same shape for findings and control results, for show and diff. `key` is its identity
 * across scans: resource × control or vulnerability id × package (without its version) or field. A finding's
 * resource is where the package was found in the image (its path), so two tags of an image compare.
 */
export interface ScanItem {
  key: string;
  /** Control or vulnerability id. */
  id: string;
  /** The resource it concerns; '' for a finding (the scan's image). */
  resource: string;
  /** `name@version` of a finding's package, the field of a control result ('' when none). */
  subject: string;
  severity: Severity;
  status: string;
  message: string;
}

export type StoredScan =
  | { scan: ScanRecord; results: 'findings'; findings: VulnerabilityFinding[] }
  | {
      scan: ScanRecord;
      results: 'controls';
      controls: StoredControlResult[];
      /** Plain passes per control (kept as counts, not rows). */
      passed: Record<string, number>;
    };

/** A purl without its version (and what follows it): the package whatever version it has. */
function packageIdentity(purl: string, name: string): string {
  const m = /^pkg:([^/]+)\//.exec(purl);
  return `${m?.[1] ?? ''}/${name}`;
}

/** One scan with its results read back from the store; an unknown id is a UserInputError. */
export async function loadStoredScan(db: Kysely<Database>, id: number): Promise<StoredScan> {
  const scan = await getScan(db, id);
  if (!scan) throw new UserInputError(`scan ${id}`, 'no such scan');
  if (kindFamily(scan.kind) === 'image')
    return { scan, results: 'findings', findings: await listScanFindings(db, id) };
  return {
    scan,
    results: 'controls',
    controls: await listControlResults(db, { scanId: id }),
    passed: await passCounts(db, id),
  };
}

const severityOf = (s: string): Severity => (isSeverity(s) ? s : 'UNKNOWN');

/** The results of a stored scan as items (plain passes are counts and have none). */
export function scanItems(stored: StoredScan): ScanItem[] {
  if (stored.results === 'findings')
    return stored.findings.map((f) => ({
      key: `${f.path ?? ''}|${f.id}|${packageIdentity(f.package.purl, f.package.name)}`,
      id: f.id,
      resource: '',
      subject: `${f.package.name}@${f.package.version}`,
      severity: severityOf(f.severity),
      status: f.status,
      message: f.title ?? '',
    }));
  return stored.controls.map((r) => ({
    key: `${resourceKey(r.resource)}|${r.control}|${r.field ?? ''}`,
    id: r.control,
    resource: resourceLabel(r.resource),
    subject: r.field ?? '',
    severity: severityOf(r.severity),
    status: r.status,
    message: r.message,
  }));
}

/** Plain passes of a stored scan, all controls together (0 for findings). */
export function passedCount(stored: StoredScan): number {
  return stored.results === 'controls' ? Object.values(stored.passed).reduce((a, b) => a + b, 0) : 0;
}
