import { packageLookup, purlLookup } from '../../core/package-lookup.js';
import { isSeverity, SEVERITIES, type Severity, severityRank } from '../../core/severity.js';
import {
  countPackages,
  findImageByDigest,
  findingStateCounts,
  findPackages,
  type PackageRow,
} from '../../store/center-queries/packages.js';
import { runningIn } from '../../store/center-queries/resources.js';
import type { CenterDeps } from '../deps.js';
import { CenterError } from '../errors.js';
import { parseSeverityWord } from '../filters.js';
import { planPage, type SortTable, toPage } from '../pagination.js';
import type { PackageUse, Page, PageQuery, Verdict } from '../types.js';

/** The package list sorts by `id` only (the order images were filed in). */
const SORTS: SortTable<PackageRow> = {
  fields: { id: { column: 'p.id', value: (r) => r.id } },
  tiebreak: { column: 'p.id', value: (r) => r.id },
  default: 'id',
};

export type PackageQuery = PageQuery & { name?: string; version?: string; purl?: string };

export function createPackageQueries(deps: CenterDeps) {
  return {
    /** Images holding a package and where each runs. Needs a name or a purl. */
    async find(query: PackageQuery): Promise<Page<PackageUse>> {
      const plan = planPage(query, SORTS);
      if (!query.name && !query.purl)
        throw new CenterError('BULKHEAD_ERR_VALIDATION', 'name or purl is required');
      const ofPurl = query.purl ? purlLookup(query.purl) : undefined;
      if (query.purl && ofPurl === undefined)
        throw new CenterError('BULKHEAD_ERR_VALIDATION', 'purl is not a valid package URL');
      // by name when both are given: a purl of another name then matches nothing, as it should
      const lookup = query.name ? packageLookup(query.name) : ofPurl!;
      const filters = {
        lookup,
        name: query.name || undefined,
        version: query.version || undefined,
        purl: query.purl || undefined,
      };
      const db = deps.store.db;
      const [rows, total] = await Promise.all([
        findPackages(db, filters, plan.request),
        countPackages(db, filters),
      ]);
      const uses = await runningIn(db, [...new Set(rows.slice(0, plan.limit).map((r) => r.resource_key))]);
      return toPage(plan, rows, total, (r) => ({
        image: r.resource_key,
        name: r.name,
        version: r.version,
        purl: r.purl,
        runningIn: uses
          .filter((u) => u.image_key === r.resource_key)
          .map(({ key, type, name }) => ({ key, type, name })),
      }));
    },
  };
}

function zeroCounts(): Record<Severity, number> {
  return Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
}

export function createImageVerdicts(deps: CenterDeps) {
  return {
    /**
     * The center's answer to a CI gate: fail when an open finding at or above `severity` remains after the center's
     * exceptions (excepted findings are counted apart and never fail it); not_assessed for an image the center does
     * not know or never saw assessed by a scan.
     */
    async verdict(digest: string, severity: string): Promise<Verdict> {
      const threshold = parseSeverityWord(severity);
      if (!/^[a-z0-9]+:[a-f0-9]{32,}$/i.test(digest))
        throw new CenterError('BULKHEAD_ERR_VALIDATION', 'digest must look like sha256:<hex>');
      const open = zeroCounts();
      let excepted = 0;
      const image = await findImageByDigest(deps.store.db, digest);
      if (!image || image.assessed_at === null || image.health === 'not_assessed')
        return { digest, verdict: 'not_assessed', severity: threshold, open, excepted };
      for (const row of await findingStateCounts(deps.store.db, image.key)) {
        if (row.state === 'excepted') excepted += row.n;
        else if (isSeverity(row.severity)) open[row.severity] += row.n;
      }
      const failing = SEVERITIES.some((s) => severityRank(s) >= severityRank(threshold) && open[s] > 0);
      return { digest, verdict: failing ? 'fail' : 'pass', severity: threshold, open, excepted };
    },
  };
}
