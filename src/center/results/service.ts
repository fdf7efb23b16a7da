import { packageLookup, purlLookup } from '../../core/package-lookup.js';
import {
  type AlertRow,
  countAlerts,
  countControlResults,
  countFindings,
  type FindingFilters,
  listAlerts,
  listAlertsJson,
  listControlResults,
  listFindings,
  listFindingsJson,
} from '../../store/center-queries/results.js';
import { createCountCache } from '../count-cache.js';
import type { CenterDeps } from '../deps.js';
import { CenterError } from '../errors.js';
import { parseSeverities, parseStates } from '../filters.js';
import { planPage, type SortTable, toPage as toPageOf } from '../pagination.js';
import {
  ALERT_STATES,
  type AlertQuery,
  type AlertView,
  type ControlResultQuery,
  type ControlResultView,
  ENGINES,
  type FindingQuery,
  type FindingView,
  type JsonText,
  type Page,
  RESULT_STATES,
} from '../types.js';
import { ALERT_JSON, FINDING_JSON, presentAlert, presentControlResult, presentFinding } from './present.js';

/** A total the caller has already counted for exactly these filters (a resource's detail counts its open results). */
export interface KnownTotal {
  total: number;
}

interface ResultRowBase {
  id: number;
  severity_rank: number;
  first_seen: string;
  last_seen: string;
}

/**
 * Sort fields of the three result lists (docs/center.md): `severity` (default `-severity`: most severe first,
 * newest first within a severity — the `(state, severity_rank, id)` index), `firstSeen`, `lastSeen`, `id`.
 */
function resultSorts<Row extends ResultRowBase>(): SortTable<Row> {
  return {
    fields: {
      severity: { column: 'severity_rank', value: (r) => Number(r.severity_rank) },
      firstSeen: { column: 'first_seen', value: (r) => r.first_seen },
      lastSeen: { column: 'last_seen', value: (r) => r.last_seen },
      id: { column: 'id', value: (r) => Number(r.id) },
    },
    tiebreak: { column: 'id', value: (r) => Number(r.id) },
    default: '-severity',
  };
}

const FINDING_SORTS = resultSorts<ResultRowBase>();
const CONTROL_SORTS = resultSorts<ResultRowBase>();
type AlertRowBase = ResultRowBase & Pick<AlertRow, 'count'>;
const ALERT_SORTS: SortTable<AlertRowBase> = {
  ...resultSorts<AlertRowBase>(),
  fields: {
    ...resultSorts<AlertRowBase>().fields,
    count: { column: 'count', value: (r) => Number(r.count) },
  },
};

function findingFilters(query: FindingQuery): FindingFilters {
  const filters: FindingFilters = {
    states: parseStates(query.state, RESULT_STATES),
    severityRanks: parseSeverities(query.severity),
    resource: query.resource,
    vulnerability: query.vulnerability,
  };
  if (query.package !== undefined) {
    if (query.package.startsWith('pkg:')) {
      const lookup = purlLookup(query.package);
      if (lookup === undefined)
        throw new CenterError('BULKHEAD_ERR_VALIDATION', 'package is not a valid purl');
      filters.package = { lookup, purl: query.package };
    } else filters.package = { lookup: packageLookup(query.package), name: query.package };
    // every state, when none is asked for: the package's findings are then read image by image, state by state
    filters.states ??= [...RESULT_STATES];
  }
  return filters;
}

export function createFindingQueries(deps: CenterDeps) {
  const cached = createCountCache(deps);
  return {
    async list(query: FindingQuery, known?: KnownTotal): Promise<Page<FindingView>> {
      const plan = planPage(query, FINDING_SORTS);
      const filters = findingFilters(query);
      const db = deps.store.db;
      const [rows, total] = await Promise.all([
        listFindings(db, filters, plan.request),
        known ? known.total : cached(JSON.stringify(filters), () => countFindings(db, filters)),
      ]);
      return toPageOf(plan, rows, total, presentFinding);
    },

    /** The same page with each item as JSON text written by the database (what the API answers). */
    async listJson(query: FindingQuery): Promise<Page<JsonText>> {
      const plan = planPage(query, FINDING_SORTS);
      const filters = findingFilters(query);
      const db = deps.store.db;
      const [rows, total] = await Promise.all([
        listFindingsJson(db, deps.store.dialect, filters, plan.request, FINDING_JSON),
        cached(JSON.stringify(filters), () => countFindings(db, filters)),
      ]);
      return toPageOf(plan, rows, total, (r) => r.json as JsonText);
    },
  };
}

export function createControlResultQueries(deps: CenterDeps) {
  const cached = createCountCache(deps);
  return {
    async list(query: ControlResultQuery, known?: KnownTotal): Promise<Page<ControlResultView>> {
      const plan = planPage(query, CONTROL_SORTS);
      if (query.engine !== undefined && !(ENGINES as readonly string[]).includes(query.engine))
        throw new CenterError('BULKHEAD_ERR_VALIDATION', `engine must be one of ${ENGINES.join(', ')}`);
      const filters = {
        states: parseStates(query.state, RESULT_STATES),
        severityRanks: parseSeverities(query.severity),
        resource: query.resource,
        control: query.control,
        engine: query.engine,
      };
      const db = deps.store.db;
      const [rows, total] = await Promise.all([
        listControlResults(db, filters, plan.request),
        known ? known.total : cached(JSON.stringify(filters), () => countControlResults(db, filters)),
      ]);
      return toPageOf(plan, rows, total, presentControlResult);
    },
  };
}

export function createAlertQueries(deps: CenterDeps) {
  const cached = createCountCache(deps);
  const plan = (query: AlertQuery) => ({
    plan: planPage(query, ALERT_SORTS),
    filters: {
      states: parseStates(query.state, ALERT_STATES),
      severityRanks: parseSeverities(query.severity),
      resource: query.resource,
      rule: query.rule,
    },
  });
  return {
    async list(query: AlertQuery, known?: KnownTotal): Promise<Page<AlertView>> {
      const { plan: p, filters } = plan(query);
      const db = deps.store.db;
      const [rows, total] = await Promise.all([
        listAlerts(db, filters, p.request),
        known ? known.total : cached(JSON.stringify(filters), () => countAlerts(db, filters)),
      ]);
      return toPageOf(p, rows, total, presentAlert);
    },

    /** The same page with each item as JSON text written by the database (what the API answers). */
    async listJson(query: AlertQuery): Promise<Page<JsonText>> {
      const { plan: p, filters } = plan(query);
      const db = deps.store.db;
      const [rows, total] = await Promise.all([
        listAlertsJson(db, deps.store.dialect, filters, p.request, ALERT_JSON),
        cached(JSON.stringify(filters), () => countAlerts(db, filters)),
      ]);
      return toPageOf(p, rows, total, (r) => r.json as JsonText);
    },
  };
}
