import { countReports, getReport, getReportBody, listReports } from '../../store/center-reports.js';
import type { CenterDeps } from '../deps.js';
import { CenterError } from '../errors.js';
import { idPage, nextCursor } from '../id-cursor.js';
import type { Center } from '../index.js';
import { inflateReport } from './canonical.js';
import { ingestReport } from './ingest.js';
import type { ReportKind } from './kind.js';
import { REPORT_KINDS } from './kinds/index.js';
import { presentReport } from './present.js';

export interface ReportServiceOptions {
  /** The kinds filed (tests add one that fails half-way); default every kind of kinds/index.ts. */
  kinds?: readonly ReportKind<unknown>[];
}

/** `center.reports`: ingest, one report, the list (newest first; `sort` by `id`/`receivedAt`). */
export function createReportService(deps: CenterDeps, options: ReportServiceOptions = {}): Center['reports'] {
  const kinds = options.kinds ?? REPORT_KINDS;
  return {
    ingest: (principal, document) => ingestReport(deps, kinds, principal, document),
    get: async (id) => {
      const row = await getReport(deps.store.db, id);
      if (!row) throw new CenterError('BULKHEAD_ERR_REPORT_NOT_FOUND', `no report ${id}`);
      return presentReport(row);
    },
    document: async (id) => {
      const row = await getReportBody(deps.store.db, id);
      if (!row) throw new CenterError('BULKHEAD_ERR_REPORT_NOT_FOUND', `no report ${id}`);
      return row.body_deflated ? inflateReport(row.body_deflated) : row.body;
    },
    list: async (query) => {
      const sort = query.sort?.replace('receivedAt', 'id');
      const page = idPage({ ...query, ...(sort ? { sort } : {}) }, ['id'], true);
      const rows = await listReports(deps.store.db, page);
      const items = rows.map(presentReport);
      return { items, next: nextCursor(items, page.limit), total: await countReports(deps.store.db) };
    },
  };
}
